package probe_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/picket-monitor/picket/internal/probe"
	"gopkg.in/yaml.v3"
)

// A check is built from its type's settings, decoded from the check's YAML,
// and run through the harness.
func Example() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer srv.Close()

	typ, _ := probe.Lookup("http")
	settings := typ.New()
	if err := yaml.NewDecoder(strings.NewReader(`expect: {status: [200, 204]}`)).Decode(settings); err != nil {
		panic(err)
	}
	p, err := settings.Prober(srv.URL)
	if err != nil {
		panic(err)
	}
	res := probe.Run(context.Background(), p, probe.Limits{Timeout: 5 * time.Second}, time.Now)
	fmt.Println(res.Status, res.Reason)
	// Output: degraded HTTP 503, want 200, 204
}
