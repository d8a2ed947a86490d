package export

import (
	"bufio"
	"io"
	"os"
	"path/filepath"
)

// writeAtomic writes a file through a temporary file next to path, renamed
// into place only when write succeeds, so path never holds a partial file.
func writeAtomic(path string, write func(w io.Writer) error) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return errf(path, err)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return errf(path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	bw := bufio.NewWriterSize(tmp, 1<<16)
	if err = write(bw); err != nil {
		return errf(path, err)
	}
	if err = bw.Flush(); err != nil {
		return errf(path, err)
	}
	if err = tmp.Close(); err != nil {
		return errf(path, err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return errf(path, err)
	}
	return nil
}
