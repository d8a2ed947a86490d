package serve

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
)

var errorType = reflect.TypeOf((*error)(nil)).Elem()

// method is one bound method reachable as window.go.<pkg>.<Service>.<Name>.
type method struct {
	fn      reflect.Value
	in      []reflect.Type
	hasOut  bool // returns a value besides the error
	hasErr  bool
	service string
}

// registry holds the bound methods by their full name "pkg.Service.Method",
// the same names Wails gives them.
type registry struct {
	methods map[string]method
}

// newRegistry inspects the exported methods of each bound value, which must
// be a pointer to a named struct type, exactly as Wails requires.
func newRegistry(bound []any) (*registry, error) {
	r := &registry{methods: map[string]method{}}
	for _, b := range bound {
		v := reflect.ValueOf(b)
		t := v.Type()
		if t.Kind() != reflect.Pointer || t.Elem().Kind() != reflect.Struct {
			return nil, fmt.Errorf("serve: bound value %T is not a pointer to a struct", b)
		}
		pkg := t.Elem().PkgPath()
		if i := strings.LastIndex(pkg, "/"); i >= 0 {
			pkg = pkg[i+1:]
		}
		svc := t.Elem().Name()
		for i := 0; i < t.NumMethod(); i++ {
			m := t.Method(i)
			mt := m.Type
			var in []reflect.Type
			for j := 1; j < mt.NumIn(); j++ {
				in = append(in, mt.In(j))
			}
			md := method{fn: v.Method(i), in: in, service: pkg + "." + svc}
			switch mt.NumOut() {
			case 0:
			case 1:
				if mt.Out(0) == errorType {
					md.hasErr = true
				} else {
					md.hasOut = true
				}
			case 2:
				if mt.Out(1) != errorType {
					continue // not bindable
				}
				md.hasOut, md.hasErr = true, true
			default:
				continue
			}
			r.methods[pkg+"."+svc+"."+m.Name] = md
		}
	}
	return r, nil
}

// tree returns {pkg: {Service: [methods...]}} for the page shim.
func (r *registry) tree() map[string]map[string][]string {
	out := map[string]map[string][]string{}
	for name := range r.methods {
		parts := strings.SplitN(name, ".", 3)
		if out[parts[0]] == nil {
			out[parts[0]] = map[string][]string{}
		}
		out[parts[0]][parts[1]] = append(out[parts[0]][parts[1]], parts[2])
	}
	for _, svcs := range out {
		for _, ms := range svcs {
			sort.Strings(ms)
		}
	}
	return out
}

// callError is a failure of the call itself (unknown method, bad arguments),
// as opposed to an error returned by the method.
type callError struct{ msg string }

func (e *callError) Error() string { return e.msg }

// call decodes args into the method's parameter types and invokes it.
func (r *registry) call(name string, args []json.RawMessage) (any, error) {
	m, ok := r.methods[name]
	if !ok {
		return nil, &callError{fmt.Sprintf("unknown method %q", name)}
	}
	if len(args) != len(m.in) {
		return nil, &callError{fmt.Sprintf("%s takes %d arguments, got %d", name, len(m.in), len(args))}
	}
	in := make([]reflect.Value, len(m.in))
	for i, t := range m.in {
		p := reflect.New(t)
		if err := json.Unmarshal(args[i], p.Interface()); err != nil {
			return nil, &callError{fmt.Sprintf("%s: argument %d: expected %s: %v", name, i+1, t, err)}
		}
		in[i] = p.Elem()
	}
	out, err := invoke(m.fn, in)
	if err != nil {
		return nil, err
	}
	var result any
	if m.hasOut {
		result = out[0].Interface()
	}
	if m.hasErr {
		if e := out[len(out)-1]; !e.IsNil() {
			return nil, e.Interface().(error)
		}
	}
	return result, nil
}

// invoke calls fn, turning a panic into an error so a bug in one method
// cannot take the server down.
func invoke(fn reflect.Value, in []reflect.Value) (out []reflect.Value, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = errors.New(fmt.Sprint("internal error: ", p))
		}
	}()
	return fn.Call(in), nil
}
