package notifytest

import (
	"slices"
	"strings"
	"testing"

	"github.com/picket-monitor/picket/internal/fielderr"
	"github.com/picket-monitor/picket/internal/notify"
)

// SettingCase is a case of a settings test: the settings In describes
// must be refused with a field error for each of Fields, sorted and
// separated by ", " ("api_key, timeout"), or accepted when Fields is "".
type SettingCase[In any] struct {
	Name   string
	In     In
	Fields string
}

// Doc is a SettingCase given as a YAML document.
type Doc = SettingCase[string]

// Edit is a SettingCase given as a change to valid settings.
type Edit[S any] = SettingCase[func(*S)]

// Setting returns a SettingCase; a table of them reads as one line per
// case.
func Setting[In any](name string, in In, fields string) SettingCase[In] {
	return SettingCase[In]{Name: name, In: in, Fields: fields}
}

// CheckDocs runs each case as a subtest: its document, decoded strictly
// into the settings newSettings returns and given to build (a channel's
// New), must be refused as the case says, and the error hold none of
// secrets.
func CheckDocs[S, N any](t *testing.T, newSettings func() *S, build func(S) (N, error), cases []Doc, secrets ...string) {
	t.Helper()
	checkSettings(t, cases, func(t *testing.T, doc string) error {
		_, err := fromYAML(t, newSettings, build, doc)
		return err
	}, secrets)
}

// CheckEdits runs each case as a subtest: valid settings, changed by the
// case, must be refused by their Notifier method as the case says, and
// the error hold none of secrets. valid returns a *S that is a
// notify.Settings.
func CheckEdits[S any](t *testing.T, valid func() *S, cases []Edit[S], secrets ...string) {
	t.Helper()
	checkSettings(t, cases, func(t *testing.T, edit func(*S)) error {
		s := valid()
		edit(s)
		ns, ok := any(s).(notify.Settings)
		if !ok {
			t.Fatalf("%T is not a notify.Settings", s)
		}
		_, err := ns.Notifier()
		return err
	}, secrets)
}

func checkSettings[In any](t *testing.T, cases []SettingCase[In], build func(*testing.T, In) error, secrets []string) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			err := build(t, tc.In)
			t.Logf("error: %v", err)
			NoSecret(t, err, secrets...)
			if got := strings.Join(Fields(err), ", "); got != tc.Fields {
				t.Fatalf("refused for %q, want %q; error: %v", got, tc.Fields, err)
			}
		})
	}
}

// Fields lists, sorted, the settings named by the *fielderr.Error
// leaves of err, a joined error; a leaf that is no *fielderr.Error is listed
// as "?" and its text. It is nil for a nil err.
func Fields(err error) []string {
	out := fielderr.Fields(err)
	slices.Sort(out)
	return out
}
