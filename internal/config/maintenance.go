package config

import (
	"errors"
	"reflect"

	"gopkg.in/yaml.v3"

	"github.com/picket-monitor/picket/internal/fielderr"
	"github.com/picket-monitor/picket/internal/mute"
)

// maintenance decodes the maintenance section, a list of windows. It comes
// after checks, so that a window's match.checks can be checked against
// them.
func (d *decoder) maintenance(n *yaml.Node, c *Config) {
	srcs := d.items(n, "maintenance", "maintenance window", "maintenance windows")
	checks := idIndex(c.Checks, func(ch Check) string { return ch.ID })
	c.Maintenance = decodeItems(d, srcs, func(src source) mute.Window {
		w := d.window(src)
		_, match := lookup(src.node, "match")
		_, list := lookup(match, "checks")
		d.refs(list, src.path+".match.checks", "check", w.Match.Checks, checks)
		return w
	}, func(w mute.Window) string { return w.ID })
}

// window decodes one window and validates it with mute.Window.Validate,
// which also compiles it.
func (d *decoder) window(src source) mute.Window {
	var w mute.Window
	d.fields(src.node, src.path, "maintenance window", false, reflect.ValueOf(&w).Elem())
	d.requireKeys(src, "id")
	d.checkID(src, w.ID)
	err := w.Validate()
	if w.ID == "" {
		err = withoutField(err, "id") // reported by requireKeys
	}
	d.fieldProblems(src, err, "")
	return w
}

// withoutField drops the parts of err (one error or several joined) that
// are field errors for field.
func withoutField(err error, field string) error {
	var keep []error
	for _, e := range fielderr.Leaves(err) {
		if f, _, ok := fieldOf(e); !ok || f != field {
			keep = append(keep, e)
		}
	}
	return errors.Join(keep...)
}
