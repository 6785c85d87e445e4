package probe

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"

	"github.com/picket-monitor/picket/internal/fielderr"
)

// HTTPExpect is what a right HTTP answer looks like. Every set condition
// must hold; the body conditions see at most the first 1 MiB of the body.
type HTTPExpect struct {
	Status          StatusRanges    `yaml:"status"` // default 200-299
	BodyContains    string          `yaml:"body_contains"`
	BodyNotContains string          `yaml:"body_not_contains"`
	BodyRegex       string          `yaml:"body_regex"`
	JSON            []JSONCondition `yaml:"json"`
}

// httpExpectation is an HTTPExpect with its regexps and conditions compiled.
type httpExpectation struct {
	status      StatusRanges
	contains    []byte
	notContains []byte
	regex       *regexp.Regexp
	json        []jsonCheck
}

func (e HTTPExpect) compile() (*httpExpectation, error) {
	x := &httpExpectation{
		status:      e.Status,
		contains:    []byte(e.BodyContains),
		notContains: []byte(e.BodyNotContains),
	}
	var errs []error
	if len(x.status) == 0 {
		x.status = StatusRanges{{200, 299}}
	}
	if e.BodyContains != "" && e.BodyContains == e.BodyNotContains {
		errs = append(errs, fielderr.Errorf("expect.body_not_contains", "equals body_contains; no body can pass"))
	}
	if e.BodyRegex != "" {
		re, err := regexp.Compile(e.BodyRegex)
		if err != nil {
			errs = append(errs, &fielderr.Error{Field: "expect.body_regex", Err: err})
		}
		x.regex = re
	}
	for i, c := range e.JSON {
		jc, err := c.compile("expect.json." + strconv.Itoa(i))
		if err != nil {
			errs = append(errs, err)
		}
		x.json = append(x.json, jc)
	}
	return x, errors.Join(errs...)
}

// check judges a response; every failure is a wrong answer.
func (x *httpExpectation) check(code int, body []byte) error {
	if !x.status.Contains(code) {
		return Degradedf("HTTP %d, want %s", code, x.status)
	}
	if len(x.contains) > 0 && !bytes.Contains(body, x.contains) {
		return Degradedf("HTTP %d, body does not contain %q", code, x.contains)
	}
	if len(x.notContains) > 0 && bytes.Contains(body, x.notContains) {
		return Degradedf("HTTP %d, body contains %q", code, x.notContains)
	}
	if x.regex != nil && !x.regex.Match(body) {
		return Degradedf("HTTP %d, body does not match %q", code, x.regex)
	}
	if len(x.json) == 0 {
		return nil
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return Degradedf("HTTP %d, body is empty, want JSON", code)
	}
	doc, err := decodeJSON(body)
	if err != nil {
		return Degradedf("HTTP %d, body is not JSON: %w", code, err)
	}
	for _, c := range x.json {
		if err := c.check(doc); err != nil {
			return Degradedf("HTTP %d, %w", code, err)
		}
	}
	return nil
}

// decodeJSON decodes one JSON document, keeping numbers exact.
func decodeJSON(body []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, fmt.Errorf("data after the first JSON value")
	}
	return doc, nil
}
