package probe

import (
	"testing"
	"time"
)

func TestTLSProbe(t *testing.T) {
	ca := newTestCA(t)
	day := 24 * time.Hour
	valid := tlsAddr(t, ca.validFor(t, 90*day, "127.0.0.1", "svc.test"), "")
	soon := tlsAddr(t, ca.validFor(t, 3*day, "127.0.0.1"), "")
	expired := tlsAddr(t, ca.issue(t, time.Now().Add(-30*day), time.Now().Add(-day), "127.0.0.1"), "")
	notYet := tlsAddr(t, ca.issue(t, time.Now().Add(day), time.Now().Add(30*day), "127.0.0.1"), "")
	withCA := "ca_file: " + ca.file
	tests := []struct {
		name, target, settings string
		status                 Status
		reason                 string
		days                   float64 // wanted tls_cert_days_left, rounded; 0: not reported
	}{
		{"valid", valid, withCA, StatusUp, "certificate valid for 90 more days", 90},
		{"server name", valid, "{server_name: svc.test, " + withCA + "}", StatusUp, "valid", 90},
		{"few days left", soon, withCA, StatusDegraded, "certificate expires in 3.0 days, want at least 14", 3},
		{"few days allowed", soon, "{min_days: 2, " + withCA + "}", StatusUp, "valid for 3 more days", 3},
		{"untrusted", valid, "", StatusDown, "certificate signed by unknown authority", 0},
		{"wrong name", valid, "{server_name: other.test, " + withCA + "}", StatusDown, "not other.test", 0},
		{"expired", expired, withCA, StatusDown, "expired", 0},
		{"not yet valid", notYet, withCA, StatusDown, "not yet valid", 0},
		{"refused", refusedAddr(t), withCA, StatusDown, "connection refused", 0},
		{"silent", silentAddr(t), withCA, StatusDown, "TLS handshake", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := runProbe(t, mustProber(t, "tls", tt.settings, tt.target))
			checkResult(t, res, tt.status, tt.reason)
			days, ok := metric(res, "tls_cert_days_left")
			if ok != (tt.days != 0) || int(days+0.5) != int(tt.days) {
				t.Errorf("tls_cert_days_left = %v (reported %v), want %v", days, ok, tt.days)
			}
		})
	}
}

func TestTLSSettingsErrors(t *testing.T) {
	tests := []struct{ name, settings, target, field string }{
		{"no port", "", "example.org", ""},
		{"negative days", "min_days: -1", "127.0.0.1:443", "min_days"},
		{"missing ca", "ca_file: /nonexistent/ca.pem", "127.0.0.1:443", "ca_file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := proberFor(t, "tls", tt.settings, tt.target)
			checkSettingsError(t, err, tt.field)
		})
	}
}
