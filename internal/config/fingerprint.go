package config

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"reflect"
	"slices"

	"gopkg.in/yaml.v3"
)

// fingerprint hashes what defines how check c runs, decoded from mapping
// n: the common fields after defaults except the alerting-only ones
// (severity, notify, policy, flapping), and the settings as written in
// canonical form (keys sorted, aliases and merges expanded, null entries
// dropped, each scalar as its resolved tag and text), so that comments,
// key order and quoting style do not count. sealed, from seal, stands for the files
// and secrets the settings use; a check with none (nil) has the same
// fingerprint in every process.
func fingerprint(c *Check, n *yaml.Node, sealed []byte) string {
	common := *c
	common.Settings, common.Prober, common.Fingerprint = nil, nil, ""
	// Alerting-only fields do not change how the check runs; the app
	// reads them from the current config, so editing them keeps the job.
	common.Severity, common.Notify, common.Policy, common.Flapping = Severity{}, nil, "", Flapping{}
	common.DependsOn = slices.Sorted(slices.Values(c.DependsOn))
	if len(common.Labels) == 0 {
		common.Labels = nil
	}
	commonKeys := make(map[string]bool)
	for _, f := range structFields(reflect.TypeFor[Check]()) {
		commonKeys[f.name] = true
	}
	settings := make(map[string]any)
	for _, p := range pairs(n) {
		if !commonKeys[p.key.Value] && !isNull(p.val) {
			settings[p.key.Value] = canonical(p.val)
		}
	}
	// Marshalling cannot fail: there are only strings, numbers, maps and
	// slices of them.
	b, _ := json.Marshal(struct {
		Check    Check
		Settings map[string]any
	}{common, settings})
	h := sha256.New()
	h.Write(b)
	h.Write(sealed)
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// canonical turns a node into plain maps, slices and strings.
func canonical(n *yaml.Node) any {
	n = resolve(n)
	switch n.Kind {
	case yaml.MappingNode:
		m := make(map[string]any)
		for _, p := range pairs(n) {
			if !isNull(p.val) {
				m[p.key.Value] = canonical(p.val)
			}
		}
		return m
	case yaml.SequenceNode:
		l := make([]any, len(n.Content))
		for i, item := range n.Content {
			l[i] = canonical(item)
		}
		return l
	}
	return n.ShortTag() + " " + n.Value
}
