package main

import (
	"fmt"
	"net"
	"net/http"
)

// targets is the HTTP service the checks probe, listening on several
// loopback addresses so that N connections per second do not exhaust one
// address pair's ports.
type targets struct {
	addrs []string
	srvs  []*http.Server
}

func startTargets(n int) (*targets, error) {
	h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"status":"UP"}`)
	})
	t := &targets{}
	for i := 1; i <= n; i++ {
		ln, err := net.Listen("tcp", fmt.Sprintf("127.0.1.%d:0", i))
		if err != nil {
			t.close()
			return nil, err
		}
		srv := &http.Server{Handler: h}
		go srv.Serve(ln)
		t.addrs = append(t.addrs, ln.Addr().String())
		t.srvs = append(t.srvs, srv)
	}
	return t, nil
}

func (t *targets) close() {
	for _, s := range t.srvs {
		s.Close()
	}
}
