package config

import (
	"gopkg.in/yaml.v3"

	"github.com/picket-monitor/picket/internal/rule/promrule"
	"github.com/picket-monitor/picket/internal/store"
)

// rules decodes the rules section and compiles it: presets are expanded
// and every expression must parse, so a rule with bad PromQL fails at
// load with its line rather than at its first evaluation.
func (d *decoder) rules(n *yaml.Node, c *Config) {
	if !isNull(n) {
		d.decodeStruct(n, &c.Rules, "rules")
	}
	set, err := promrule.Compile(c.Rules, promrule.ParserFunc(store.ParseExpr))
	if err != nil {
		d.fieldProblems(source{node: resolve(n), path: "rules"}, err, "")
		return
	}
	c.RuleSet = set
}
