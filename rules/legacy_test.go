package rules_test

import (
	"strings"
	"testing"

	"github.com/ghtoken/ghtoken/rules"
	"github.com/ghtoken/ghtoken/rules/rulestest"
)

// legacyCase is one text and the legacy-rule matches expected in it, with
// look-alikes enabled. Positives and look-alikes sit side by side in each
// table below: the look-alikes are what must stay silent.
type legacyCase struct {
	name string
	text string
	want []want
}

func runLegacyCases(t *testing.T, tests []legacyCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := find(t, tt.text, true, "")
			if len(got) != len(tt.want) {
				t.Fatalf("got %d matches %v, want %d", len(got), describe(tt.text, got), len(tt.want))
			}
			for i, w := range tt.want {
				g := got[i]
				if g.Rule != w.rule || g.Confidence != w.confidence || g.Text([]byte(tt.text)) != w.token {
					t.Errorf("match %d = %s %s %q, want %s %s %q", i, g.Rule.ID, g.Confidence, g.Text([]byte(tt.text)), w.rule.ID, w.confidence, w.token)
				}
			}
		})
	}
}

func legacyHex(seed string) string { return rulestest.Token(rulestest.Legacy, seed) }

func medium(tok string) []want { return []want{{rules.Legacy, rules.Medium, tok}} }

// Key names: a GitHub word (github, gh, ghe, git) and a credential word, in
// any case and separator; words that only start like a credential word
// (path, author) do not count.
func TestLegacyKeyNames(t *testing.T) {
	hex := legacyHex("keys")
	runLegacyCases(t, []legacyCase{
		{"gh pw", "GH_PW=" + hex, medium(hex)},
		{"github path", "GITHUB_PATH=" + hex, nil},
		{"github pat", "GITHUB_PAT=" + hex, medium(hex)},
		{"github author", "github_author: " + hex, nil},
		{"github auth", "github_auth: " + hex, medium(hex)},
		// Names, in any case and separator.
		{"dashed", "github-token: " + hex, medium(hex)},
		{"dotted", "github.token=" + hex, medium(hex)},
		{"run together", "GITHUBTOKEN=" + hex, medium(hex)},
		{"camel", `githubApiKey = "` + hex + `"`, medium(hex)},
		{"ghe pat", "GHE_PAT=" + hex, medium(hex)},
		{"ghe token camel", `GheToken: "` + hex + `"`, medium(hex)},
		{"git password", "git.password=" + hex, medium(hex)},
		{"git token", "export GIT_TOKEN=" + hex, medium(hex)},
		{"git token camel", `GitToken := "` + hex + `"`, medium(hex)},
		{"git prefixed name", "MY_GIT_TOKEN=" + hex, medium(hex)},
		{"gh pwd", "gh_pwd: " + hex, medium(hex)},
		{"github password", `"githubPassword": "` + hex + `"`, medium(hex)},
		{"github secret", "GITHUB_SECRET=" + hex, medium(hex)},
		{"github cred", "github_cred=" + hex, medium(hex)},
		{"github credentials", "github_credentials: " + hex, medium(hex)},
		{"github oauth", "GITHUB_OAUTH=" + hex, medium(hex)},
		{"github api key", "github_api_key=" + hex, medium(hex)},
		// Assignment syntaxes.
		{"go", `ghToken := "` + hex + `"`, medium(hex)},
		{"ruby hash", `:github_token => "` + hex + `"`, medium(hex)},
		{"php array", `'github_token' => '` + hex + `',`, medium(hex)},
		{"json", `{"github_token": "` + hex + `"}`, medium(hex)},
		{"toml", "[auth]\ngithub_token = \"" + hex + "\"\n", medium(hex)},
		{"properties", "github.token:" + hex + "\n", medium(hex)},
		{"yaml next line", "gh_token:\n  " + hex + "\n", medium(hex)},
		{"shell export", "export GITHUB_TOKEN=\"" + hex + "\"", medium(hex)},
		// A generic name is not enough, nor is a GitHub name for a hash.
		{"password", "password=" + hex, nil},
		{"secret", "secret: " + hex, nil},
		{"auth token", "auth_token=" + hex, nil},
		{"api key", `api_key = "` + hex + `"`, nil},
		{"gitlab token", "GITLAB_TOKEN=" + hex, nil},
		{"gitea token", "gitea_token: " + hex, nil},
		{"digit key", "digit_key=" + hex, nil},
		{"gitkeep", ".gitkeep " + hex, nil},
		{"git commit", "GIT_COMMIT=" + hex, nil},
		{"git sha", "git_sha: " + hex, nil},
		{"git rev key", "git.rev.key=" + hex, nil},
		{"github sha", "GITHUB_SHA=" + hex, nil},
		{"git name alone", "git: " + hex, nil},
		{"github repo", "github_repo: " + hex, nil},
	})
}

func encoded(tok string) []want { return []want{{rules.Legacy, rules.Medium, tok}} }

// A token in the userinfo of a URL whose host is GitHub's.
func TestLegacyURLs(t *testing.T) {
	hex := legacyHex("url")
	v1 := rulestest.Token(rulestest.LegacyV1, "url")
	runLegacyCases(t, []legacyCase{
		{"user and token", "git clone https://octocat:" + hex + "@github.com/o/r.git", medium(hex)},
		{"token as user", "url = https://" + hex + "@github.com/o/r", medium(hex)},
		{"x-oauth-basic", "https://" + hex + ":x-oauth-basic@github.com/o/r", medium(hex)},
		{"x-access-token", `"https://x-access-token:` + hex + `@github.com/o/r"`, medium(hex)},
		{"http", "http://u:" + hex + "@github.example.com/o/r", medium(hex)},
		{"git+https", `"dep": "git+https://` + hex + `@github.com/o/r.git"`, medium(hex)},
		{"api host", "https://" + hex + "@api.github.com/user", medium(hex)},
		{"ghe.com", "https://u:" + hex + "@acme.ghe.com/o/r", medium(hex)},
		{"enterprise label", "https://u:" + hex + "@github-enterprise.acme.io/o/r", medium(hex)},
		{"upper-case host", "HTTPS://u:" + hex + "@GitHub.com/o/r", medium(hex)},
		{"JSON-escaped", `{"url":"https:\/\/u:` + hex + `@github.com\/o\/r"}`, medium(hex)},
		{"v1 token", "https://x-access-token:" + v1 + "@github.com/o/r", medium(v1)},
		{"git-credentials line", "https://octocat:" + hex + "@github.com\n", medium(hex)},
		{"no scheme, user and token", "remote " + "u:" + hex + "@github.com/o/r", medium(hex)},
		{"low entropy", "https://u:" + strings.Repeat("ab", 20) + "@github.com/o/r", []want{{rules.Legacy, rules.Lookalike, strings.Repeat("ab", 20)}}},
		// Look-alikes.
		{"other host", "https://u:" + hex + "@gitlab.com/o/r", nil},
		{"host only contains github", "https://u:" + hex + "@mygithub.com/o/r", nil},
		{"no scheme, bare hex", "see " + hex + "@github.com", nil},
		{"mail address", "From: " + hex + "@github.com", nil},
		{"ssh scheme", "ssh://" + hex + "@github.com/o/r", nil},
		{"commit in path", "https://github.com/o/r/commit/" + hex, nil},
		{"blob in path", "https://github.com/o/r/blob/" + hex + "/main.go", nil},
		{"tree in path", "https://github.com/o/r/tree/" + hex, nil},
		{"archive in path", "https://github.com/o/r/archive/" + hex + ".tar.gz", nil},
		{"action pin", "uses: actions/checkout@" + hex, nil},
		{"go get at commit", "go get github.com/o/r@" + hex, nil},
		{"41 hex", "https://u:" + hex + "a@github.com/o/r", nil},
		{"39 hex", "https://u:" + hex[1:] + "@github.com/o/r", nil},
		{"upper-case hex", "https://u:" + strings.ToUpper(hex) + "@github.com/o/r", nil},
	})
}

// Credential files that tie a secret to a GitHub host.
func TestLegacyCredentialFiles(t *testing.T) {
	hex := legacyHex("files")
	runLegacyCases(t, []legacyCase{
		{"netrc one line", "machine github.com login octocat password " + hex + "\n", medium(hex)},
		{"netrc lines", "machine api.github.com\n  login octocat\n  password " + hex + "\n", medium(hex)},
		{"netrc token as login", "machine github.com login " + hex + " password x-oauth-basic", medium(hex)},
		{"netrc other machine", "machine example.com login octocat password " + hex + "\n", nil},
		{"netrc next machine", "machine github.com login octocat\nmachine example.com password " + hex, nil},
		{"netrc other key", "machine github.com account " + hex, nil},
		{"hosts.yml", "github.com:\n    user: octocat\n    oauth_token: " + hex + "\n    git_protocol: https\n", medium(hex)},
		{"hosts.yml quoted", "github.com:\n  oauth_token: \"" + hex + "\"\n", medium(hex)},
		{"hosts.yml enterprise", "github.acme.com:\n    oauth_token: " + hex + "\n", medium(hex)},
		{"hub config", "github.com:\n- user: octocat\n  oauth_token: " + hex + "\n  protocol: https\n", medium(hex)},
		{"hosts.yml other host", "gitlab.com:\n    oauth_token: " + hex + "\n", nil},
		{"hosts.yml next block", "github.com:\n    user: octocat\nexample.com:\n    oauth_token: " + hex + "\n", nil},
		{"hosts.yml other key", "github.com:\n    sha: " + hex + "\n", nil},
		{"npmrc", "//npm.pkg.github.com/:_authToken=" + hex + "\n", medium(hex)},
		{"npmrc other registry", "//registry.npmjs.org/:_authToken=" + hex + "\n", nil},
		{"npmrc integrity", "//npm.pkg.github.com/:integrity=" + hex + "\n", nil},
		{"docker config", `{"auths": {"ghcr.io": {"auth": "` + b64("octocat:"+hex) + `"}}}`, encoded(hex)},
		{"docker config url key", "{\n  \"auths\": {\n    \"https://docker.pkg.github.com\": {\n      \"auth\": \"" + b64("u:"+hex) + "\"\n    }\n  }\n}", encoded(hex)},
		{"docker other registry", `{"auths": {"index.docker.io": {"auth": "` + b64("octocat:"+hex) + `"}}}`, nil},
		{"docker auth not hex", `{"auths": {"ghcr.io": {"auth": "` + b64("octocat:"+strings.Repeat("x", 40)) + `"}}}`, nil},
		{"docker next entry", `{"auths": {"ghcr.io": {}, "quay.io": {"auth": "` + b64("octocat:"+hex) + `"}}}`, nil},
	})
}

// Authorization headers, where GitHub is named near them.
func TestLegacyHeaders(t *testing.T) {
	hex := legacyHex("headers")
	v1 := rulestest.Token(rulestest.LegacyV1, "headers")
	basic := b64("octocat:" + hex)
	runLegacyCases(t, []legacyCase{
		{"curl token", `curl -H "Authorization: token ` + hex + `" https://api.github.com/user`, medium(hex)},
		{"curl bearer", `curl -H 'Authorization: Bearer ` + hex + `' https://github.acme.com/api/v3/user`, medium(hex)},
		{"log line", "GET https://api.github.com/repos/o/r\nauthorization: token " + hex + "\n", medium(hex)},
		{"fetch", "fetch('https://api.github.com/user', {\n  headers: {\n    Authorization: `token " + hex + "`,\n  },\n})", medium(hex)},
		{"axios", "const gh = axios.create({ baseURL: GITHUB_API, headers: { Authorization: 'Bearer " + hex + "' } })", medium(hex)},
		{"requests", `requests.get("https://api.github.com/user", headers={"Authorization": "token ` + hex + `"})`, medium(hex)},
		{"Go", "req, _ := http.NewRequest(\"GET\", \"https://api.github.com/user\", nil)\nreq.Header.Set(\"Authorization\", \"token " + hex + "\")", medium(hex)},
		{"v1", `curl -H "Authorization: token ` + v1 + `" https://api.github.com/installation/repositories`, medium(v1)},
		{"basic", `curl -H "Authorization: Basic ` + basic + `" https://api.github.com/user`, encoded(hex)},
		{"basic x-access-token", "# GitHub\nAuthorization: Basic " + b64("x-access-token:"+hex), encoded(hex)},
		{"basic token as user", "Authorization: Basic " + b64(hex+":x-oauth-basic") + "\nHost: api.github.com", encoded(hex)},
		{"header after a GHE.com host", "url=https://acme.ghe.com/api/v3\nAuthorization: token " + hex, medium(hex)},
		// Look-alikes.
		{"no GitHub near", `curl -H "Authorization: Token ` + hex + `" https://api.example.com/items`, nil},
		{"GitHub too far before", "github\n" + strings.Repeat("x", 600) + "\nAuthorization: token " + hex, nil},
		{"basic without GitHub", `curl -H "Authorization: Basic ` + basic + `" https://registry.example.com/v2/`, nil},
		{"basic not a token", `curl -H "Authorization: Basic ` + b64("octocat:"+strings.Repeat("hunter2", 6)) + `" https://api.github.com/`, nil},
		{"digest scheme", `Authorization: Digest username="u", response="` + hex + `" github.com`, nil},
		{"variable", "Authorization: `token ${process.env.GITHUB_TOKEN}` github", nil},
		{"41 hex", `curl -H "Authorization: token ` + hex + `a" https://api.github.com/user`, nil},
	})
}

// "v1." + 40 hex needs no keyword, only a GitHub word near it.
func TestLegacyV1Alone(t *testing.T) {
	v1 := rulestest.Token(rulestest.LegacyV1, "alone")
	hex := legacyHex("alone")
	runLegacyCases(t, []legacyCase{
		{"in a log", "2019-05-01 github app installation token " + v1 + " issued\n", medium(v1)},
		{"in a list", "# GitHub tokens\n- " + v1 + "\n", medium(v1)},
		{"after GitHub", "GitHub: " + v1, medium(v1)},
		{"no GitHub near", "token " + v1 + "\n", nil},
		{"plain hex", "# GitHub\n- " + hex + "\n", nil},
		{"glued", "# GitHub\nxv1." + hex + "\n", nil},
		{"41 hex", "# GitHub\nv1." + hex + "a\n", nil},
		{"version", "# GitHub\nv1.2.3\n", nil},
		{"low entropy", "# GitHub\nv1." + strings.Repeat("ab", 20), []want{{rules.Legacy, rules.Lookalike, "v1." + strings.Repeat("ab", 20)}}},
	})
}

// An OAuth app's client secret has its own rule: after a name that says
// GitHub client secret, or a client_secret near GitHub and a client ID.
func TestOAuthClientSecret(t *testing.T) {
	secret := rulestest.Token(rulestest.OAuthClientSecret, "app")
	id := rulestest.Token(rulestest.OAuthClientID, "app")
	hex16 := id[:16]
	alnum16 := "li" + strings.ToUpper(id[:7]) + id[7:14]
	cs := []want{{rules.OAuthClientSecret, rules.Medium, secret}}
	runLegacyCases(t, []legacyCase{
		{"env", "GITHUB_CLIENT_ID=" + id + "\nGITHUB_CLIENT_SECRET=" + secret + "\n", cs},
		{"github name without id", "GITHUB_CLIENT_SECRET=" + secret, cs},
		{"dotted yaml", "github:\n  oauth:\n    github.oauth.clientSecret: " + secret, cs},
		{"passport", "new GitHubStrategy({\n  clientID: '" + id + "',\n  clientSecret: '" + secret + "',\n  callbackURL: '/auth/github/callback'\n})", cs},
		{"new OAuth app id", "# GitHub OAuth app\nclient_id: Ov23" + alnum16 + "\nclient_secret: " + secret + "\n", cs},
		{"GitHub App id", "# GitHub App\nCLIENT_ID=Iv1." + hex16 + "\nCLIENT_SECRET=" + secret + "\n", cs},
		{"new GitHub App id", "[github]\nclient_id = \"Iv23" + alnum16 + "\"\nclient_secret = \"" + secret + "\"\n", cs},
		{"id after secret", "// github\nconst clientSecret = \"" + secret + "\"\nconst clientId = \"" + id + "\"", cs},
		{"low entropy", "GITHUB_CLIENT_SECRET=" + strings.Repeat("ab", 20), []want{{rules.OAuthClientSecret, rules.Lookalike, strings.Repeat("ab", 20)}}},
		// Look-alikes: no GitHub, no client ID, an ID of another shape.
		{"no GitHub word", "client_id: Ov23" + alnum16 + "\nclient_secret: " + secret + "\n", nil},
		{"no client id", "# GitHub\nclient_secret: " + secret + "\n", nil},
		{"id of another shape", "# GitHub\nclient_id: " + id + "0\nclient_secret: " + secret + "\n", nil},
		{"google id", "# github login\nclient_id: 1234-abc.apps.googleusercontent.com\nclient_secret: " + secret + "\n", nil},
		{"secret not hex", "# GitHub\nclient_id: " + id + "\nclient_secret: " + strings.ToUpper(secret) + "\n", nil},
		{"secret too long", "# GitHub\nclient_id: " + id + "\nclient_secret: " + secret + "0\n", nil},
		{"other word", "# GitHub\nclient_id: " + id + "\nxclient_secret: " + secret + "\n", nil},
		{"v1 is a token", "GITHUB_CLIENT_SECRET=v1." + secret, medium("v1." + secret)},
	})
}

// A GitHub key whose value is the base64 of the token (a Kubernetes
// Secret's data) gives the token.
func TestLegacyBase64Value(t *testing.T) {
	hex := legacyHex("b64value")
	v1 := rulestest.Token(rulestest.LegacyV1, "b64value")
	runLegacyCases(t, []legacyCase{
		{"secret data", "kind: Secret\ndata:\n  GITHUB_TOKEN: " + b64(hex) + "\n", encoded(hex)},
		{"quoted", `"gh_token": "` + b64(hex) + `"`, encoded(hex)},
		{"v1", "GITHUB_TOKEN: " + b64(v1) + "\n", encoded(v1)},
		{"client secret", "GITHUB_CLIENT_SECRET: " + b64(hex) + "\n", []want{{rules.OAuthClientSecret, rules.Medium, hex}}},
		{"base64url", "GITHUB_TOKEN: " + b64url(hex) + "\n", encoded(hex)},
		// Look-alikes.
		{"no key", "value: " + b64(hex) + "\n", nil},
		{"base64 of other text", "GITHUB_TOKEN: " + b64(strings.Repeat("not a token ", 4)[:40]) + "\n", nil},
		{"base64 of a longer value", "GITHUB_TOKEN: " + b64(hex+"0") + "\n", nil},
		{"base64 of upper-case hex", "GITHUB_TOKEN: " + b64(strings.ToUpper(hex)) + "\n", nil},
		{"sha key", "GITHUB_SHA: " + b64(hex) + "\n", nil},
	})
}
