package rules

// The words that make an identifier name a credential, looked up in one pass
// over the identifier with a switch on the first byte: a keyword-dense file
// (a go-github client, a line per github.X call) judges an identifier per
// line, and a search per word made that the hot path.

// tokenWordAt returns the length of the token word that starts at l[i]
// (l lower-cased), 0 when none does: token, pat, secret, key, auth, pass
// (password), pw (pwd), cred (credential, credentials), oauth (which holds
// auth). "path" and "author" start like a token word but name none.
func tokenWordAt(l []byte, i int) int {
	rest := l[i:]
	switch rest[0] {
	case 't':
		if hasWord(rest, "token") {
			return 5
		}
	case 'p':
		switch {
		case hasWord(rest, "pass"):
			return 4
		case hasWord(rest, "pw"):
			return 2
		case hasWord(rest, "pat") && (len(rest) == 3 || rest[3] != 'h'):
			return 3
		}
	case 's':
		if hasWord(rest, "secret") {
			return 6
		}
	case 'k':
		if hasWord(rest, "key") {
			return 3
		}
	case 'a':
		if hasWord(rest, "auth") && !hasWord(rest, "author") {
			return 4
		}
	case 'c':
		if hasWord(rest, "cred") {
			return 4
		}
	}
	return 0
}

// hasTokenWord reports whether the lower-cased identifier l holds a token
// word anywhere.
func hasTokenWord(l []byte) bool {
	for i, c := range l {
		if tokenWordStart[c] && tokenWordAt(l, i) > 0 {
			return true
		}
	}
	return false
}

// tokenWordStart holds the first bytes of the token words.
var tokenWordStart = [256]bool{'t': true, 'p': true, 's': true, 'k': true, 'a': true, 'c': true}

func hasWord(s []byte, w string) bool { return len(s) >= len(w) && string(s[:len(w)]) == w }
