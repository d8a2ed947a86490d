// Package tabular reads people's spreadsheets row by row: .xlsx workbooks
// (streamed with excelize's row iterator) and delimited text (.csv, .tsv,
// .txt) in UTF-8, UTF-8 with a byte-order mark, GBK/GB18030 or UTF-16.
//
// Open detects what the file is from its content, not its name: the text
// encoding, the delimiter (comma, semicolon, tab or bar) and the header row
// (the first row that looks like column names, after any title rows). Rows
// carry the number a person sees in a spreadsheet program: 1-based,
// counting title rows, the header and blank rows.
//
// Memory stays bounded whatever the input: a line longer than
// Options.MaxLine, a workbook whose parts would unpack to more than
// Options.MaxUnzipped bytes or with an implausible compression ratio (a zip
// bomb), and a binary file under a text name all fail with an error naming
// the file.
package tabular
