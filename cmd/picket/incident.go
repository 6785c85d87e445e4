//go:build !agentonly

package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"text/tabwriter"
	"time"
)

const incidentUsage = `usage:
  picket incident list [--open] [--check ID]
  picket incident show ID
  picket incident ack ID [--comment TEXT]
  picket incident resolve ID [--comment TEXT]
  picket incident note ID TEXT
flags for all: --server URL (default $PICKET_SERVER or http://127.0.0.1:7070), --by NAME (default $USER)
`

// incidentCmd talks to a running server's API.
func incidentCmd(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, incidentUsage)
		return exitUsage
	}
	verb, rest := args[0], args[1:]
	fs := flag.NewFlagSet("incident "+verb, flag.ContinueOnError)
	fs.SetOutput(stderr)
	server := fs.String("server", envOr("PICKET_SERVER", "http://127.0.0.1:7070"), "Picket server `URL`")
	by := fs.String("by", envOr("USER", "cli"), "who acts")
	comment := fs.String("comment", "", "what to say with an ack or resolve")
	open := fs.Bool("open", false, "list only open incidents")
	check := fs.String("check", "", "list only this check's incidents")
	id, rest := leadingArg(rest)
	if err := fs.Parse(rest); err != nil {
		return exitUsage
	}
	c := apiClient{base: strings.TrimRight(*server, "/"), out: stdout}
	switch {
	case verb == "list":
		q := url.Values{}
		if *open {
			q.Set("open", "true")
		}
		if *check != "" {
			q.Set("check", *check)
		}
		return c.report(stderr, c.list(q))
	case id == "":
		fmt.Fprint(stderr, incidentUsage)
		return exitUsage
	case verb == "show":
		return c.report(stderr, c.call(http.MethodGet, "/api/v1/incidents/"+url.PathEscape(id), nil))
	case verb == "ack" || verb == "resolve":
		body := map[string]string{"by": *by, "comment": *comment}
		return c.report(stderr, c.call(http.MethodPost, "/api/v1/incidents/"+url.PathEscape(id)+"/"+verb, body))
	case verb == "note" && fs.NArg() > 0:
		body := map[string]string{"by": *by, "text": strings.Join(fs.Args(), " ")}
		return c.report(stderr, c.call(http.MethodPost, "/api/v1/incidents/"+url.PathEscape(id)+"/notes", body))
	}
	fmt.Fprint(stderr, incidentUsage)
	return exitUsage
}

// leadingArg splits off a first argument that is not a flag.
func leadingArg(args []string) (string, []string) {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		return args[0], args[1:]
	}
	return "", args
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

type apiClient struct {
	base string
	out  io.Writer
}

func (c apiClient) report(stderr io.Writer, err error) int {
	if err != nil {
		fmt.Fprintf(stderr, "picket incident: %v\n", err)
		return 1
	}
	return 0
}

// call sends one request and prints the incident in the reply.
func (c apiClient) call(method, path string, body any) error {
	var inc incidentView
	if err := c.do(method, path, body, &inc); err != nil {
		return err
	}
	inc.print(c.out)
	return nil
}

func (c apiClient) list(q url.Values) error {
	var r struct{ Incidents []incidentView }
	if err := c.do(http.MethodGet, "/api/v1/incidents?"+q.Encode(), nil, &r); err != nil {
		return err
	}
	tw := tabwriter.NewWriter(c.out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tCHECK\tSTATUS\tOPENED\tSTATE")
	for _, i := range r.Incidents {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", i.ID, i.Check, i.Status, i.Opened.Local().Format(time.DateTime), i.state())
	}
	return tw.Flush()
}

func (c apiClient) do(method, path string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if resp.StatusCode/100 != 2 {
		var e struct{ Error string }
		if json.Unmarshal(data, &e) == nil && e.Error != "" {
			return fmt.Errorf("%s: %s", resp.Status, e.Error)
		}
		return fmt.Errorf("%s", resp.Status)
	}
	return json.Unmarshal(data, out)
}

// incidentView is the part of an incident the CLI shows.
type incidentView struct {
	ID, Check, Status, Reason string
	Opened, Acknowledged      time.Time
	Resolved                  time.Time
	AckedBy                   string `json:"acked_by"`
	ResolvedBy                string `json:"resolved_by"`
	Timeline                  []struct {
		Time           time.Time
		Kind, Text, By string
	}
}

func (i incidentView) state() string {
	switch {
	case !i.Resolved.IsZero():
		return "resolved"
	case !i.Acknowledged.IsZero():
		return "acknowledged by " + i.AckedBy
	}
	return "open"
}

func (i incidentView) print(w io.Writer) {
	fmt.Fprintf(w, "%s  %s  %s: %s\n  opened %s, %s\n", i.ID, i.Check, i.Status, i.Reason,
		i.Opened.Local().Format(time.DateTime), i.state())
	for _, e := range i.Timeline {
		by := ""
		if e.By != "" {
			by = " (" + e.By + ")"
		}
		fmt.Fprintf(w, "  %s  %-12s %s%s\n", e.Time.Local().Format(time.DateTime), e.Kind, e.Text, by)
	}
}
