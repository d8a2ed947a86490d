package gisfile

import (
	"fmt"

	"territoria/engine"
)

// Description tells a person choosing how to import a layer what it holds:
// its attributes, which of them could be unit ids, what BuildUnits would
// choose on its own, and the values of the first features.
type Description struct {
	// Fields lists the attributes in file order, then the pseudo-fields
	// the features have (FieldFeatureID, FieldFeatureName) and always
	// FieldNumber: every choice UnitOptions.IDField and NameField accept.
	Fields []string
	// IDFields are the Fields whose values could be unit ids: present on
	// every feature and distinct on at least nine in ten (FieldNumber
	// always can).
	IDFields []string
	// IDField, NameField and ParentField are what BuildUnits chooses with
	// empty options; Level is the level it gives the units then ("" when it
	// cannot tell).
	IDField, NameField, ParentField, Level string
	// Sample holds the values of Fields for the first features, as the
	// units would read them; SampleNumbers are their feature numbers.
	Sample        [][]string
	SampleNumbers []int
}

// Describe describes l, with the values of its first n features. It reads
// no geometry, so it costs little next to BuildUnits.
func Describe(l *Layer, n int) (Description, error) {
	var d Description
	if len(l.Features) == 0 {
		return d, fmt.Errorf("%s: no polygon features to make units of", baseName(l.Path))
	}
	d.Fields = append(d.Fields, l.Fields...)
	for _, p := range []string{FieldFeatureID, FieldFeatureName} {
		for i := range l.Features {
			if fieldValue(&l.Features[i], p) != "" {
				d.Fields = append(d.Fields, p)
				break
			}
		}
	}
	d.Fields = append(d.Fields, FieldNumber)
	for _, f := range d.Fields {
		if f == FieldNumber || suits(l, f, true) {
			d.IDFields = append(d.IDFields, f)
		}
	}
	var err error
	if d.IDField, err = chooseField(l, "", idFields, true); err != nil {
		return d, err
	}
	if d.NameField, err = chooseField(l, "", nameFields, false); err != nil {
		return d, err
	}
	if d.NameField == "" {
		d.NameField = d.IDField
	}
	d.ParentField, _ = chooseField(l, "", parentFields, false)
	d.Level = LevelOf(l, d.IDField)
	for i := 0; i < len(l.Features) && i < n; i++ {
		f := &l.Features[i]
		row := make([]string, len(d.Fields))
		for j, name := range d.Fields {
			row[j] = fieldValue(f, name)
		}
		d.Sample = append(d.Sample, row)
		d.SampleNumbers = append(d.SampleNumbers, f.Number)
	}
	return d, nil
}

// LevelOf returns the level BuildUnits would give units whose ids come
// from idField: the common value of a "level" attribute, else a level
// read from the shape of the ids (see UnitOptions.Level), else "".
func LevelOf(l *Layer, idField string) string {
	seen := map[string]bool{}
	var units []engine.Unit
	var levels []string
	for i := range l.Features {
		f := &l.Features[i]
		id := fieldValue(f, idField)
		if id == "" || seen[id] {
			continue
		}
		seen[id] = true
		units = append(units, engine.Unit{ID: id})
		levels = append(levels, fieldValue(f, "level"))
	}
	if len(units) == 0 {
		return ""
	}
	return guessLevel(units, levels, idField)
}
