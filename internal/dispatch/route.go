package dispatch

import "slices"

// Router picks the routes of a check. Its zero value matches nothing and
// has no default route.
type Router struct {
	routes []Route
	def    *Route
}

// NewRouter returns a router over routes, tried in order, and def, the
// route of checks none matches (nil for none).
func NewRouter(routes []Route, def *Route) Router {
	return Router{routes: routes, def: def}
}

// Routes returns the routes that select a check with this id and these
// labels, in order: the first that matches, followed by the next matching
// ones for as long as each says Continue. When none matches it returns the
// default route, and nil when there is none either.
func (r Router) Routes(check string, labels map[string]string) []Route {
	var out []Route
	for _, rt := range r.routes {
		if !rt.Match.matches(check, labels) {
			continue
		}
		out = append(out, rt)
		if !rt.Continue {
			break
		}
	}
	if len(out) == 0 && r.def != nil {
		out = append(out, *r.def)
	}
	return out
}

// Channels returns the channels that receive a check's notices: notify
// when the check lists its own channels (they override every route), else
// the channels of its routes without repeats, in route order. Nil means
// no route and no default: the notices go nowhere.
func (r Router) Channels(check string, labels map[string]string, notify []string) []string {
	if len(notify) > 0 {
		return slices.Clone(notify)
	}
	var out []string
	for _, rt := range r.Routes(check, labels) {
		for _, ch := range rt.Channels {
			if !slices.Contains(out, ch) {
				out = append(out, ch)
			}
		}
	}
	return out
}

// Policy returns the policy of the first of a check's routes that names
// one, or "" when none does. A check's own notify list does not change
// its policy.
func (r Router) Policy(check string, labels map[string]string) string {
	for _, rt := range r.Routes(check, labels) {
		if rt.Policy != "" {
			return rt.Policy
		}
	}
	return ""
}

// matches reports whether the check is one of m.Checks (if any are given)
// and has every label of m.Labels with the same value.
func (m Match) matches(check string, labels map[string]string) bool {
	if len(m.Checks) > 0 && !slices.Contains(m.Checks, check) {
		return false
	}
	for k, v := range m.Labels {
		if got, ok := labels[k]; !ok || got != v {
			return false
		}
	}
	return true
}
