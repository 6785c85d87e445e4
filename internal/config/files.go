package config

import (
	"encoding"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/picket-monitor/picket/internal/secret"
)

// A sensitive field of a probe or channel type's settings is found by its
// type and name alone, so that no probe or channel needs code here: a
// string whose YAML name ends in "_file" names a file (a secret, a CA
// bundle), and a secret.Secret holds a credential.
var (
	secretType          = reflect.TypeFor[secret.Secret]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// visitFunc is called for each sensitive field: v is a settable string
// when file is true, a secret.Secret otherwise. path is the field's path
// in the settings, written the way problems write it.
type visitFunc func(file bool, path string, v reflect.Value)

// walkSensitive calls visit for every sensitive field reachable from v
// through struct fields (by their YAML names, as the decoder finds them),
// non-nil pointers, slices, arrays and map values. name is the YAML name
// of the field v belongs to; the items of a list and the values of a map
// share it, and a map value's path ends in its key (headers.Authorization).
// Map values are visited in the order of their keys, so that a seal is the
// same for equal settings. Types that decode themselves (yaml.Unmarshaler,
// encoding.TextUnmarshaler) are not entered: their Go fields are not
// config fields.
func walkSensitive(v reflect.Value, path, name string, visit visitFunc) {
	t := v.Type()
	switch {
	case t == secretType:
		visit(false, path, v)
	case t.Kind() == reflect.String:
		if strings.HasSuffix(name, "_file") {
			visit(true, path, v)
		}
	case t.Kind() == reflect.Pointer:
		if !v.IsNil() {
			walkSensitive(v.Elem(), path, name, visit)
		}
	case decodesItself(t):
		// Not config fields; see above.
	case t.Kind() == reflect.Struct:
		for _, f := range structFields(t) {
			walkSensitive(v.FieldByIndex(f.index), join(path, f.name), f.name, visit)
		}
	case t.Kind() == reflect.Slice || t.Kind() == reflect.Array:
		for i := range v.Len() {
			walkSensitive(v.Index(i), path+"["+strconv.Itoa(i)+"]", name, visit)
		}
	case t.Kind() == reflect.Map:
		walkMap(v, path, name, visit)
	}
}

// walkMap walks the values of map v in the order of their keys. A map
// value cannot be set in place, so each is walked as a copy that is
// stored back, which lets resolveFiles rewrite paths held in a map.
func walkMap(v reflect.Value, path, name string, visit visitFunc) {
	keys := v.MapKeys()
	slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(fmt.Sprint(a), fmt.Sprint(b)) })
	for _, k := range keys {
		elem := reflect.New(v.Type().Elem()).Elem()
		elem.Set(v.MapIndex(k))
		walkSensitive(elem, join(path, fmt.Sprint(k)), name, visit)
		v.SetMapIndex(k, elem)
	}
}

// decodesItself reports whether the decoder leaves values of type t to
// their own UnmarshalYAML or UnmarshalText.
func decodesItself(t reflect.Type) bool {
	p := reflect.PointerTo(t)
	return p.Implements(unmarshalerType) || p.Implements(textUnmarshalerType)
}

// resolveFiles rewrites every relative path in a *_file field of settings
// s (a pointer to a struct: probe or channel settings) to the same path under dir, the config file's
// directory, the way server.data_dir is resolved. Absolute and empty paths
// are left as written, and so is every path when dir is ".": a config
// without a directory of its own (`picket check`) names files relative to
// the working directory.
func resolveFiles(s any, dir string) {
	if dir == "." {
		return
	}
	walkSensitive(reflect.ValueOf(s).Elem(), "", "", func(file bool, _ string, v reflect.Value) {
		if file {
			v.SetString(resolvePath(dir, v.String()))
		}
	})
}

// resolvePath returns p under dir when p is relative. Surrounding spaces
// are dropped first, as secret.Pick drops them, so that " token" does not
// become "dir/ token".
func resolvePath(dir, p string) string {
	trimmed := strings.TrimSpace(p)
	if trimmed == "" || filepath.IsAbs(trimmed) {
		return p
	}
	return filepath.Join(dir, trimmed)
}
