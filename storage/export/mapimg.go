package export

import "errors"

// MapOptions configure a map picture.
type MapOptions struct {
	Options
	Width, Height int
	DPI           float64
	ColorBy       string
	Title         string
}

// PDFOptions configure the PDF brief.
type PDFOptions struct {
	Map       MapOptions
	PerRegion bool
}

// WriteMap writes a map picture.
func WriteMap(path string, d *Data, o MapOptions) ([]string, error) {
	return nil, errors.New("not yet")
}

// WritePDF writes the brief.
func WritePDF(path string, d *Data, o PDFOptions) ([]string, error) {
	return nil, errors.New("not yet")
}
