package config

import (
	"strings"
	"testing"
)

const fingerprintBase = `
defaults: {interval: 30s}
checks:
  - id: web
    type: http
    target: http://127.0.0.1:8080/health
    interval: 10s
    labels: {team: payments, env: prod}
    depends_on: [db, dns]
    degraded_when: {latency_over: 300ms}
    notify: [hook]
    policy: payments
    # a comment
    expect:
      status: [200]
      body_contains: UP
    headers: {Accept: text/plain, X-Probe: picket}
  - {id: db, type: tcp, target: "127.0.0.1:5432"}
  - {id: dns, type: tcp, target: "127.0.0.1:53"}
channels:
  - {id: hook, type: webhook, url: "http://127.0.0.1:9000/"}
  - {id: ops, type: webhook, url: "http://127.0.0.1:9001/"}
policies:
  - {id: payments}
  - {id: quiet, reminders: []}
`

// fingerprintOf parses src and returns the fingerprint of check id.
func fingerprintOf(t *testing.T, src, id string) string {
	t.Helper()
	c, err := Parse("picket.yaml", []byte(src))
	if err != nil {
		t.Fatalf("Parse:\n%v", err)
	}
	chk, ok := c.Check(id)
	if !ok {
		t.Fatalf("no check %q", id)
	}
	return chk.Fingerprint
}

func TestFingerprintUnchanged(t *testing.T) {
	base := fingerprintOf(t, fingerprintBase, "web")
	tests := []struct{ name, src string }{
		{"same text", fingerprintBase},
		{"comment changed", strings.Replace(fingerprintBase, "# a comment", "# another comment, longer", 1)},
		{"comment added", strings.Replace(fingerprintBase, "    interval: 10s\n", "    interval: 10s # fast\n", 1)},
		{"label keys reordered", strings.Replace(fingerprintBase, "{team: payments, env: prod}", "{env: prod, team: payments}", 1)},
		{"settings keys reordered", strings.Replace(fingerprintBase, "      status: [200]\n      body_contains: UP\n", "      body_contains: UP\n      status: [200]\n", 1)},
		{"check keys reordered", strings.Replace(fingerprintBase, "    type: http\n    target: http://127.0.0.1:8080/health\n", "    target: http://127.0.0.1:8080/health\n    type: http\n", 1)},
		{"header keys reordered", strings.Replace(fingerprintBase, "{Accept: text/plain, X-Probe: picket}", "{X-Probe: picket, Accept: text/plain}", 1)},
		{"quoting style", strings.Replace(fingerprintBase, "body_contains: UP", `body_contains: "UP"`, 1)},
		{"block instead of flow", strings.Replace(fingerprintBase, "status: [200]", "status:\n        - 200", 1)},
		{"depends_on reordered", strings.Replace(fingerprintBase, "[db, dns]", "[dns, db]", 1)},
		{"default name written out", strings.Replace(fingerprintBase, "    type: http\n", "    name: web\n    type: http\n", 1)},
		{"automatic timeout written out", strings.Replace(fingerprintBase, "    interval: 10s\n", "    interval: 10s\n    timeout: 8s\n", 1)},
		{"other check changed", strings.Replace(fingerprintBase, "127.0.0.1:5432", "127.0.0.1:5433", 1)},
		{"null setting", strings.Replace(fingerprintBase, "    # a comment\n", "    body:\n", 1)},
		{"retry_interval written out", strings.Replace(fingerprintBase, "    interval: 10s\n", "    interval: 10s\n    retry_interval: 10s\n", 1)},
		// Alerting-only fields are read live; changing them must not
		// replace the check's job.
		{"severity", strings.Replace(fingerprintBase, "    # a comment\n", "    severity: {down: warning, degraded: info}\n", 1)},
		{"inherited severity", strings.Replace(fingerprintBase, "defaults: {interval: 30s}", "defaults: {interval: 30s, severity: {down: info}}", 1)},
		{"notify", strings.Replace(fingerprintBase, "notify: [hook]", "notify: [hook, ops]", 1)},
		{"notify removed", strings.Replace(fingerprintBase, "    notify: [hook]\n", "", 1)},
		{"policy", strings.Replace(fingerprintBase, "policy: payments", "policy: quiet", 1)},
		{"flapping", strings.Replace(fingerprintBase, "    # a comment\n", "    flapping: {window: 5, high: 50, low: 10}\n", 1)},
		{"inherited flapping", strings.Replace(fingerprintBase, "defaults: {interval: 30s}", "defaults: {interval: 30s, flapping: {window: 7}}", 1)},
		{"channel changed", strings.Replace(fingerprintBase, "127.0.0.1:9000/", "127.0.0.1:9002/", 1)},
		{"policy changed", strings.Replace(fingerprintBase, "{id: payments}", "{id: payments, reminders: [1m]}", 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.src == fingerprintBase && tt.name != "same text" {
				t.Fatal("the replacement did not apply")
			}
			if got := fingerprintOf(t, tt.src, "web"); got != base {
				t.Errorf("fingerprint changed: %s, was %s", got, base)
			}
		})
	}
}

func TestFingerprintChanged(t *testing.T) {
	base := fingerprintOf(t, fingerprintBase, "web")
	tests := []struct{ name, old, new string }{
		{"id", "id: web", "id: web2"},
		{"name", "    type: http\n", "    name: Web\n    type: http\n"},
		{"target", "8080/health", "8080/healthz"},
		{"interval", "interval: 10s", "interval: 11s"},
		{"timeout", "    interval: 10s\n", "    interval: 10s\n    timeout: 5s\n"},
		{"inherited interval", "defaults: {interval: 30s}\n", "defaults: {interval: 30s, confirm: 3}\n"},
		{"confirm", "    interval: 10s\n", "    interval: 10s\n    confirm: 5\n"},
		// confirm and recover decide how long a check stays soft, and so
		// runs at retry_interval: they are part of how it runs.
		{"recover", "    interval: 10s\n", "    interval: 10s\n    recover: 2\n"},
		{"inherited recover", "defaults: {interval: 30s}\n", "defaults: {interval: 30s, recover: 3}\n"},
		{"retry_interval", "    interval: 10s\n", "    interval: 10s\n    retry_interval: 5s\n"},
		{"inherited retry_interval", "defaults: {interval: 30s}\n", "defaults: {interval: 30s, retry_interval: 5s}\n"},
		{"label value", "team: payments", "team: billing"},
		{"label added", "env: prod}", "env: prod, tier: web}"},
		{"depends_on", "[db, dns]", "[db]"},
		{"latency_over", "latency_over: 300ms", "latency_over: 301ms"},
		{"status", "status: [200]", "status: [200, 204]"},
		{"status as a string", "status: [200]", `status: ["200"]`},
		{"body_contains", "body_contains: UP", "body_contains: DOWN"},
		{"header value", "X-Probe: picket", "X-Probe: picket2"},
		{"setting added", "    # a comment\n", "    method: HEAD\n"},
		{"setting at its default", "    # a comment\n", "    method: GET\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.Replace(fingerprintBase, tt.old, tt.new, 1)
			if src == fingerprintBase {
				t.Fatalf("%q is not in the base config", tt.old)
			}
			id := "web"
			if tt.name == "id" {
				id = "web2"
			}
			if got := fingerprintOf(t, src, id); got == base {
				t.Errorf("fingerprint %s did not change", got)
			}
		})
	}
}
