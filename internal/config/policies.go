package config

import (
	"reflect"
	"strconv"
	"time"

	"github.com/picket-monitor/picket/internal/incident"
	"gopkg.in/yaml.v3"
)

// Policy says what happens while an incident of the checks it applies to
// is open. Checks name it with policy, routes with their policy.
type Policy struct {
	ID string `yaml:"id"`
	// Reminders are when reminders are due while an incident is open and
	// not acknowledged, each counted from the opening; after the last one
	// there are no more. After Load it is never nil: left out, it is
	// incident.DefaultReminders ([10m, 30m, 1h]); written as [] it is empty
	// (not nil) and means no reminders. Each is positive and later than the
	// one before.
	Reminders []time.Duration `yaml:"reminders"`
}

// Policy returns the policy with the given id.
func (c *Config) Policy(id string) (*Policy, bool) {
	return byID(c.Policies, id, func(p *Policy) string { return p.ID })
}

// policies decodes the policies section, a list of policies.
func (d *decoder) policies(n *yaml.Node, c *Config) {
	srcs := d.items(n, "policies", "policy", "policies")
	c.Policies = decodeItems(d, srcs, d.policy, func(p Policy) string { return p.ID })
}

// policy decodes and validates one policy.
func (d *decoder) policy(src source) Policy {
	var p Policy
	d.fields(src.node, src.path, "policy", false, reflect.ValueOf(&p).Elem())
	d.requireKeys(src, "id")
	d.checkID(src, p.ID)
	_, rn := lookup(src.node, "reminders")
	if isNull(rn) {
		p.Reminders = incident.DefaultReminders()
		return p
	}
	d.reminders(rn, src.path+".reminders", p.Reminders)
	return p
}

// reminders reports reminders that are not positive or not later than the
// one before, each at its entry.
func (d *decoder) reminders(list *yaml.Node, field string, rs []time.Duration) {
	list = resolve(list)
	if list.Kind != yaml.SequenceNode || len(list.Content) != len(rs) {
		return // reported when decoded
	}
	for i, r := range rs {
		f := field + "[" + strconv.Itoa(i) + "]"
		switch {
		case d.reported(f):
		case r <= 0:
			d.add(list.Content[i], f, "must be positive, got %s", r)
		case i > 0 && r <= rs[i-1]:
			d.add(list.Content[i], f, "%s is not later than the reminder before it, %s (each reminder counts from the opening)", r, rs[i-1])
		}
	}
}
