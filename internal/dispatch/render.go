package dispatch

import (
	"bytes"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"strings"
	ttemplate "text/template"
	"time"
	"unicode/utf8"

	"github.com/picket-monitor/picket/internal/fielderr"
	"github.com/picket-monitor/picket/internal/incident"
)

// MaxTitle is the longest title in runes; a longer one is cut at a word
// and ends with "…".
const MaxTitle = 120

// executor is what text/template and html/template templates share.
type executor interface {
	Execute(w *bytes.Buffer, d Data) error
}

type textExec struct{ *ttemplate.Template }

func (t textExec) Execute(w *bytes.Buffer, d Data) error { return t.Template.Execute(w, d) }

type htmlExec struct{ *htmltemplate.Template }

func (t htmlExec) Execute(w *bytes.Buffer, d Data) error { return t.Template.Execute(w, d) }

// part is one part of a message: its name in the config, the default
// template and the configured one (nil when not configured).
type part struct {
	name          string
	def, override executor
}

// renderer renders messages: title, text and HTML, in that order.
type renderer struct{ parts [3]part }

// rendered is one rendered message.
type rendered struct{ title, text, html string }

// compile parses the default templates and those of t, and executes the
// configured ones once per kind on sample data, so that a template that
// cannot work fails at load rather than at 3 a.m.
func compile(t Templates) (*renderer, error) {
	r := &renderer{}
	specs := [3]struct{ name, def, src string }{
		{"title", defaultTitle, t.Title}, {"text", defaultText, t.Text}, {"html", defaultHTML, t.HTML},
	}
	var errs []error
	for i, s := range specs {
		def, err := parse(s.name, s.def)
		if err != nil {
			panic(fmt.Sprintf("dispatch: default %s template: %v", s.name, err)) // a bug, caught by tests
		}
		r.parts[i] = part{name: s.name, def: def}
		if s.src == "" {
			continue
		}
		custom, err := parse(s.name, s.src)
		if err == nil {
			err = trial(custom)
		}
		if err != nil {
			errs = append(errs, &fielderr.Error{Field: "templates." + s.name, Err: err})
			continue
		}
		r.parts[i].override = custom
	}
	return r, errors.Join(errs...)
}

func parse(name, src string) (executor, error) {
	if name == "html" {
		t, err := htmltemplate.New(name).Funcs(funcs()).Parse(src)
		return htmlExec{t}, err
	}
	t, err := ttemplate.New(name).Funcs(funcs()).Parse(src)
	return textExec{t}, err
}

// trial executes e on a sample of every kind of message.
func trial(e executor) error {
	var buf bytes.Buffer
	for _, d := range samples() {
		buf.Reset()
		if err := e.Execute(&buf, d); err != nil {
			return err
		}
	}
	return nil
}

// render executes the templates for d. A configured template that fails
// is replaced by the default for that message, and the failure returned,
// wrapped in ErrRender, beside a complete message.
func (r *renderer) render(d Data) (rendered, error) {
	var out [3]string
	var errs []error
	for i, p := range r.parts {
		var err error
		if p.override != nil {
			if out[i], err = run(p.override, d); err != nil {
				errs = append(errs, fmt.Errorf("%w: templates.%s: %w", ErrRender, p.name, err))
			}
		}
		if p.override == nil || err != nil {
			if out[i], err = run(p.def, d); err != nil {
				errs = append(errs, fmt.Errorf("%w: default %s template: %w", ErrRender, p.name, err))
				out[i] = fallback(p.name, d)
			}
		}
	}
	return rendered{title: cutTitle(out[0]), text: out[1], html: out[2]}, errors.Join(errs...)
}

func run(e executor, d Data) (string, error) {
	var buf bytes.Buffer
	err := e.Execute(&buf, d)
	return buf.String(), err
}

// fallback is the last resort should a default template fail.
func fallback(part string, d Data) string {
	if part == "html" {
		return ""
	}
	return strings.ToUpper(string(d.Kind)) + ": " + d.Name + " — " + d.Summary
}

// cutTitle puts s on one line of at most MaxTitle runes.
func cutTitle(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= MaxTitle {
		return s
	}
	r := []rune(s)[:MaxTitle-1]
	if i := strings.LastIndexByte(string(r), ' '); i > len(string(r))/2 {
		return strings.TrimRight(string(r)[:i], " ,;—") + "…"
	}
	return string(r) + "…"
}

// funcs are the functions templates may call.
func funcs() map[string]any {
	return map[string]any{
		"upper":    func(v any) string { return strings.ToUpper(fmt.Sprint(v)) },
		"title":    func(v any) string { return capitalize(fmt.Sprint(v)) },
		"duration": incident.FormatDuration,
		"sub":      func(a, b time.Time) time.Duration { return a.Sub(b) },
		"utc":      func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05 UTC") },
		"clock":    clock,
		"join":     func(s []string) string { return strings.Join(s, ", ") },
		"names":    memberNames,
		"plural":   plural,
	}
}

func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return strings.ToUpper(string(r)) + s[n:]
}

// clock writes t as "20:00 UTC", with the date when it is not the day of
// ref ("Mar 1 20:00 UTC").
func clock(t, ref time.Time) string {
	t, ref = t.UTC(), ref.UTC()
	if t.YearDay() == ref.YearDay() && t.Year() == ref.Year() {
		return t.Format("15:04 UTC")
	}
	return t.Format("Jan 2 15:04 UTC")
}

func memberNames(ms []Member) string {
	s := make([]string, len(ms))
	for i, m := range ms {
		s[i] = m.Name
	}
	return strings.Join(s, ", ")
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}
