package config

import (
	"errors"
	"reflect"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/picket-monitor/picket/internal/fielderr"
)

// The routing and message settings are dispatch.Config, which the file
// spreads over three top-level sections: routes, default_route, and
// alerting for the rest.

// routes decodes the routes section, a list of dispatch.Route, into
// c.Alerting.Routes.
func (d *decoder) routes(n *yaml.Node, c *Config) {
	d.value(n, reflect.ValueOf(&c.Alerting.Routes).Elem(), "routes")
}

// defaultRoute decodes the default_route section, one dispatch.Route.
func (d *decoder) defaultRoute(n *yaml.Node, c *Config) {
	d.value(n, reflect.ValueOf(&c.Alerting.DefaultRoute).Elem(), "default_route")
}

// alerting decodes the alerting section over dispatch.DefaultConfig, and
// then validates the whole of c.Alerting with dispatch's own Validate
// (which also compiles the templates) and the routes' policies. It comes
// after every section it refers to: checks, channels, policies, routes
// and default_route.
func (d *decoder) alerting(n *yaml.Node, c *Config) {
	if !isNull(n) {
		top := "it is a top-level section of its own"
		d.fieldsExcept(resolve(n), "alerting", "alerting", false,
			map[string]string{"routes": top, "default_route": top}, reflect.ValueOf(&c.Alerting).Elem())
	}
	channels := idIndex(c.Channels, func(ch Channel) string { return ch.ID })
	checks := idIndex(c.Checks, func(ch Check) string { return ch.ID })
	err := c.Alerting.Validate(
		func(id string) bool { _, ok := channels[id]; return ok },
		func(id string) bool { _, ok := checks[id]; return ok })
	d.dispatchProblems(err)
	d.routePolicies(c)
}

// dispatchProblems reports the problems dispatch.Config.Validate found.
// Their fields are relative to dispatch.Config: routes and default_route
// are top-level sections, everything else is under alerting.
func (d *decoder) dispatchProblems(err error) {
	var errs []error
	for _, e := range fielderr.Leaves(err) {
		f, inner, ok := fieldOf(e)
		switch {
		case !ok:
		case strings.HasPrefix(f, "routes"):
			if !d.routeDecoded(f) {
				continue // its problem was reported when decoded
			}
		case !strings.HasPrefix(f, "default_route"):
			e = &fielderr.Error{Field: "alerting." + f, Err: inner}
		}
		errs = append(errs, e)
	}
	d.fieldProblems(d.rootSource(), errors.Join(errs...), "alerting")
}

// routeDecoded reports whether the route that field ("routes[2].channels")
// is in was a mapping, and so was decoded.
func (d *decoder) routeDecoded(field string) bool {
	i, err := strconv.Atoi(strings.TrimPrefix(field[:strings.IndexByte(field+"]", ']')], "routes["))
	_, list := lookup(d.root, "routes")
	list = resolve(list)
	return err != nil || list == nil || i < 0 || i >= len(list.Content) || resolve(list.Content[i]).Kind == yaml.MappingNode
}

// routePolicies reports routes whose policy is not in policies.
func (d *decoder) routePolicies(c *Config) {
	policies := idIndex(c.Policies, func(p Policy) string { return p.ID })
	_, list := lookup(d.root, "routes")
	list = resolve(list)
	for i, r := range c.Alerting.Routes {
		if r.Policy != "" && list != nil && i < len(list.Content) {
			d.ref(valueAt(list.Content[i], "policy"), "routes["+strconv.Itoa(i)+"].policy", "policy", r.Policy, policies)
		}
	}
	if r := c.Alerting.DefaultRoute; r != nil && r.Policy != "" {
		_, def := lookup(d.root, "default_route")
		d.ref(valueAt(def, "policy"), "default_route.policy", "policy", r.Policy, policies)
	}
}

// rootSource is the document as a source for fieldNode, an empty mapping
// when the file is empty.
func (d *decoder) rootSource() source {
	if d.root == nil {
		return source{node: &yaml.Node{Kind: yaml.MappingNode}}
	}
	return source{node: d.root}
}
