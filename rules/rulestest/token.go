// Package rulestest builds checksum-valid GitHub tokens at run time, so that
// tests and fixtures never hold a token-shaped literal.
//
// The same kind and seed always give the same token. The tokens are random
// strings that pass the offline checks; they were never issued by GitHub.
package rulestest

import (
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"

	"github.com/ghtoken/ghtoken/rules"
)

const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// stream returns n characters of alphabet derived from seed.
func stream(seed string, n int, alphabet string) string {
	var b strings.Builder
	for i := 0; b.Len() < n; i++ {
		sum := sha256.Sum256([]byte(fmt.Sprintf("%s/%d", seed, i)))
		for _, c := range sum {
			if b.Len() == n {
				break
			}
			b.WriteByte(alphabet[int(c)%len(alphabet)])
		}
	}
	return b.String()
}

// Kinds Token understands.
const (
	ClassicPAT      = "ghp"
	OAuth           = "gho"
	AppUser         = "ghu"
	AppInstallation = "ghs"
	AppRefresh      = "ghr"
	FineGrained     = "github_pat"
	Stateless       = "ghs_jwt"
	// FineGrainedBadChecksum has a valid structure but a failing checksum:
	// a low-confidence finding.
	FineGrainedBadChecksum = "github_pat_badsum"
	Legacy                 = "hex40"
	LegacyV1               = "v1"
	// OAuthClientSecret is an OAuth app's client secret: 40 hex, found
	// only after a client secret name (see Keyword).
	OAuthClientSecret = "client_secret"
	// OAuthClientID is the 20-hex client ID a client secret goes with.
	OAuthClientID = "client_id"
)

// AllKinds adds to Kinds the kinds found only with a name of their own
// before them (Keyword).
var AllKinds = append(Kinds[:len(Kinds):len(Kinds)], OAuthClientSecret)

// Keyword returns an assignment that a token of kind is found after:
// GITHUB_TOKEN= for every token, GITHUB_CLIENT_SECRET= for a client secret.
func Keyword(kind string) string {
	if kind == OAuthClientSecret {
		return "GITHUB_CLIENT_SECRET="
	}
	return "GITHUB_TOKEN="
}

// Kinds lists every kind, for table tests and fuzz seeds.
var Kinds = []string{ClassicPAT, OAuth, AppUser, AppInstallation, AppRefresh, FineGrained, FineGrainedBadChecksum, Stateless, Legacy, LegacyV1}

// Token returns a token of the given kind, valid for the offline checks,
// derived from seed. It panics on an unknown kind (a test bug).
func Token(kind, seed string) string {
	seed = kind + ":" + seed
	switch kind {
	case ClassicPAT, OAuth, AppUser, AppInstallation, AppRefresh:
		// The payload's length comes from the rule table: the token
		// less its prefix and 6-character checksum.
		r := ruleFor(kind + "_")
		return prefixed(kind, stream(seed, r.MaxLen-len(r.Prefix)-6, base62))
	case FineGrained:
		return FineGrainedFor(uint32(binary.BigEndian.Uint32([]byte(stream(seed, 4, base62)))%100000000+1), seed)
	case FineGrainedBadChecksum:
		t := Token(FineGrained, seed)
		i := len("github_pat_") + 23 + 43 // first checksum character
		return t[:i] + flip(t[i:i+1]) + t[i+1:]
	case Stateless:
		return StatelessToken(12345, 1700000000, 1700003600, seed)
	case Legacy:
		return hexToken(seed)
	case LegacyV1:
		return "v1." + hexToken(seed)
	case OAuthClientSecret:
		return hexToken(seed)
	case OAuthClientID:
		return hexToken(seed)[:20]
	}
	panic("rulestest: unknown token kind " + kind)
}

// ruleFor returns the first rule of the table with the given prefix: the
// checksummed one where several share it.
func ruleFor(prefix string) *rules.Rule {
	for _, r := range rules.All() {
		if r.Prefix == prefix {
			return r
		}
	}
	panic("rulestest: no rule with prefix " + prefix)
}

func prefixed(kind, payload string) string {
	sum := rules.Checksum62([]byte(payload))
	return kind + "_" + payload + string(sum[:])
}

func hexToken(seed string) string {
	sum := sha256.Sum256([]byte(seed))
	return hex.EncodeToString(sum[:])[:40]
}

// FineGrainedFor returns a fine-grained PAT of the given owner user id whose
// checksum is valid.
func FineGrainedFor(userID uint32, seed string) string {
	var id [5]byte
	binary.BigEndian.PutUint32(id[:], userID)
	b32 := base32.StdEncoding.EncodeToString(id[:4])[:7]
	a := "11" + b32 + "0" + stream(seed+"/a", 12, base62)
	b := stream(seed+"/b", 43, base62)
	head := "github_pat_" + a + "_" + b
	c := rules.FineGrainedChecksum([]byte(head))
	return head + string(c[:]) + stream(seed+"/d", 8, base62)
}

// StatelessToken returns a ghs_APPID_JWT installation token with the given
// claims and a random (unverifiable) signature.
func StatelessToken(appID int64, iat, exp int64, seed string) string {
	enc := base64.RawURLEncoding
	header := enc.EncodeToString([]byte(`{"alg":"RS256","typ":"JWT"}`))
	payload := enc.EncodeToString([]byte(fmt.Sprintf(`{"iat":%d,"exp":%d,"iss":"%d","jti":"%s"}`, iat, exp, appID, stream(seed, 16, base62))))
	sig := enc.EncodeToString([]byte(stream(seed+"/sig", 256, base62)))
	return fmt.Sprintf("ghs_%d_%s.%s.%s", appID, header, payload, sig)
}

// Lookalike returns a token of the given kind with the right shape but a
// wrong checksum (or, for stateless tokens, an undecodable JWT).
func Lookalike(kind, seed string) string {
	t := Token(kind, seed)
	switch kind {
	case Stateless:
		// "eyJ" starts every JSON object in base64url; "eyZ" decodes to junk.
		i := strings.Index(t, "_eyJ") + 3
		return t[:i] + "Z" + t[i+1:]
	case FineGrained:
		// Break the structure ("11" becomes "12") and so the checksum.
		i := len("github_pat_") + 1
		return t[:i] + "2" + t[i+1:]
	}
	i := len(t) - 1
	return t[:i] + flip(t[i:])
}

func flip(c string) string {
	if c == "A" {
		return "B"
	}
	return "A"
}

var placeholder = regexp.MustCompile(`\$\{([a-z0-9_]+)(~?):([A-Za-z0-9_.-]+)\}`)

// Expand replaces placeholders in fixture text with tokens made at run time:
// ${KIND:SEED} becomes Token(KIND, SEED) and ${KIND~:SEED} Lookalike(KIND,
// SEED). KIND is one of Kinds.
func Expand(s string) string {
	return placeholder.ReplaceAllStringFunc(s, func(m string) string {
		g := placeholder.FindStringSubmatch(m)
		if g[2] == "~" {
			return Lookalike(g[1], g[3])
		}
		return Token(g[1], g[3])
	})
}
