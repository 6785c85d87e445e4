package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// scrape GETs a Prometheus text page and returns the number of samples
// on it and the sum of the values of the lines starting with prefix.
func scrape(c *http.Client, u, prefix string) (samples int, sum float64, err error) {
	resp, err := c.Get(u)
	if err != nil {
		return 0, 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, 0, fmt.Errorf("GET %s: %s", u, resp.Status)
	}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		l := sc.Text()
		if l == "" || l[0] == '#' {
			continue
		}
		samples++
		if prefix != "" && strings.HasPrefix(l, prefix) {
			f := strings.Fields(l)
			v, _ := strconv.ParseFloat(f[len(f)-1], 64)
			sum += v
		}
	}
	return samples, sum, sc.Err()
}

// agentSamples is picket_agent_samples_total of the server at base.
func agentSamples(c *http.Client, base string) (float64, error) {
	_, v, err := scrape(c, base+"/metrics", "picket_agent_samples_total")
	return v, err
}

// promScalar runs an instant PromQL query whose result is one sample.
func promScalar(c *http.Client, base, expr string) (float64, error) {
	resp, err := c.Get(base + "/prometheus/api/v1/query?query=" + url.QueryEscape(expr))
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var r struct {
		Data struct {
			Result []struct{ Value [2]any }
		}
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		return 0, fmt.Errorf("query %s: %w", expr, err)
	}
	if len(r.Data.Result) != 1 {
		return 0, fmt.Errorf("query %s: %d results", expr, len(r.Data.Result))
	}
	s, _ := r.Data.Result[0].Value[1].(string)
	return strconv.ParseFloat(s, 64)
}
