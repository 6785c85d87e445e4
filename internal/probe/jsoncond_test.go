package probe

import (
	"testing"

	"gopkg.in/yaml.v3"
)

const testDoc = `{"ok": true, "n": 3, "big": 12345678901234567890, "s": "v1.2", "null": null,
	"list": [{"id": 1}, {"id": 2}], "obj": {"a.b": 1}}`

func TestJSONConditions(t *testing.T) {
	doc, err := decodeJSON([]byte(testDoc))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		cond string
		pass bool
	}{
		{"{path: ok}", true},
		{"{path: ok, equals: true}", true},
		{"{path: ok, equals: 'true'}", false},
		{"{path: n, equals: 3.0}", true},
		{"{path: n, equals: 4}", false},
		{"{path: big, equals: 12345678901234567890}", true},
		{"{path: n, ge: 3, lt: 4}", true},
		{"{path: n, gt: 3}", false},
		{"{path: n, le: 2}", false},
		{"{path: s, gt: 1}", false},
		{"{path: s, matches: '^v1\\.'}", true},
		{"{path: n, matches: '^3$'}", true},
		{"{path: list.1.id, equals: 2}", true},
		{"{path: list.2.id}", false},
		{"{path: list.x}", false},
		{"{path: list, type: array}", true},
		{"{path: obj, type: object}", true},
		{"{path: 'null', type: 'null'}", true},
		{"{path: 'null', type: string}", false},
		{"{path: missing, exists: false}", true},
		{"{path: ok, exists: false}", false},
		{"{path: n.deeper}", false},
		{"{path: obj.a.b}", false},
		{"{path: s, equals: v1.2}", true},
	}
	for _, tt := range tests {
		t.Run(tt.cond, func(t *testing.T) {
			var c JSONCondition
			if err := yaml.Unmarshal([]byte(tt.cond), &c); err != nil {
				t.Fatal(err)
			}
			k, err := c.compile("expect.json.0")
			if err != nil {
				t.Fatal(err)
			}
			if err := k.check(doc); (err == nil) != tt.pass {
				t.Errorf("check = %v, want pass %v", err, tt.pass)
			}
		})
	}
}

func TestDecodeJSONRejectsTrailingData(t *testing.T) {
	if _, err := decodeJSON([]byte(`{"a":1} {"b":2}`)); err == nil {
		t.Error("two JSON documents decoded as one")
	}
}
