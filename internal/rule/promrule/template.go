package promrule

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"text/template"
	"time"
)

// An annotation is a Go text/template, as in Prometheus: $labels holds
// the alert instance's labels, $value the value of its series. A few of
// Prometheus's functions are there too (see templateFuncs); Parse fails at
// load for anything else.
const templatePrelude = "{{$labels := .Labels}}{{$value := .Value}}"

// templateData is what an annotation template sees.
type templateData struct {
	Labels map[string]string
	Value  float64
}

// templateFuncs are the functions annotation templates may call. Each
// takes a number, or a string holding one (a label value).
var templateFuncs = template.FuncMap{
	"humanize":           numFunc(func(v float64) string { return humanize(v, 1000, false) }),
	"humanize1024":       numFunc(func(v float64) string { return humanize(v, 1024, true) }),
	"humanizePercentage": numFunc(func(v float64) string { return formatSig(v*100) + "%" }),
	"humanizeDuration":   numFunc(formatSeconds),
	"bytes":              numFunc(formatBytes),
}

// numFunc makes f take what a template passes it.
func numFunc(f func(float64) string) func(any) (string, error) {
	return func(x any) (string, error) {
		switch v := x.(type) {
		case float64:
			return f(v), nil
		case int:
			return f(float64(v)), nil
		case string:
			n, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return "", fmt.Errorf("%q is not a number", v)
			}
			return f(n), nil
		}
		return "", fmt.Errorf("%v (%T) is not a number", x, x)
	}
}

// parseTemplate parses one annotation of a rule.
func parseTemplate(name, text string) (*template.Template, error) {
	t, err := template.New(name).Funcs(templateFuncs).Option("missingkey=zero").Parse(templatePrelude + text)
	if err != nil {
		return nil, fmt.Errorf("annotation %s: %w", name, err)
	}
	return t, nil
}

// render executes t; on failure it says so in the text, so an alert still
// carries a message.
func render(t *template.Template, d templateData) string {
	var b strings.Builder
	if err := t.Execute(&b, d); err != nil {
		return fmt.Sprintf("(annotation %s failed: %v)", t.Name(), err)
	}
	return b.String()
}

// siPrefixes are the prefixes of powers of 1000 (or 1024), from 1.
var siPrefixes = []string{"", "k", "M", "G", "T", "P", "E"}

// scaleSI returns v with three significant digits divided by the largest
// power of base (1000 or 1024) it holds, and that power's prefix (Ki, Mi,
// ... when binary): 1.23 and "k", 800 and "M". Values under 1 are kept.
func scaleSI(v, base float64, binary bool) (string, string) {
	if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) < 1 {
		return formatSig(v), ""
	}
	i := 0
	for math.Abs(roundSig(v)) >= base && i < len(siPrefixes)-1 {
		v /= base
		i++
	}
	p := siPrefixes[i]
	if binary && p != "" {
		p = strings.ToUpper(p) + "i"
	}
	return formatSig(v), p
}

// humanize writes v as Prometheus's humanize does: 1.23k, 800M, 12.
func humanize(v float64, base float64, binary bool) string {
	n, p := scaleSI(v, base, binary)
	return n + p
}

// formatBytes writes a size with a decimal unit: 800 MB, 1.5 GB, 12 B.
func formatBytes(v float64) string {
	n, p := scaleSI(v, 1000, false)
	return n + " " + p + "B"
}

// roundSig rounds v to three significant digits.
func roundSig(v float64) float64 {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return v
	}
	n, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 3, 64), 64)
	return n
}

// formatSig writes v with at most three significant digits, without an
// exponent for ordinary numbers: 800, 1.5, 0.0123.
func formatSig(v float64) string {
	r := roundSig(v)
	if a := math.Abs(r); a != 0 && (a < 1e-4 || a >= 1e15) {
		return strconv.FormatFloat(r, 'g', 3, 64)
	}
	return strconv.FormatFloat(r, 'f', -1, 64)
}

// formatSeconds writes a number of seconds as a duration: 1h2m3s, 1.5s.
func formatSeconds(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > 1e9 {
		return formatSig(v) + "s"
	}
	d := time.Duration(v * float64(time.Second))
	if math.Abs(v) >= 1 {
		d = d.Round(time.Second)
	}
	return d.String()
}
