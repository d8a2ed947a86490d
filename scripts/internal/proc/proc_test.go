package proc

import (
	"runtime"
	"testing"
)

// TestPeakRSS: on Linux the peak grows, at least, by memory this process
// touches.
func TestPeakRSS(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("VmHWM is Linux's")
	}
	before := PeakRSS()
	if before <= 0 {
		t.Fatalf("peak RSS %d", before)
	}
	buf := make([]byte, 64<<20)
	for i := range buf {
		buf[i] = byte(i)
	}
	if after := PeakRSS(); after < before+32<<20 {
		t.Errorf("peak RSS %d after touching 64 MB, %d before", after, before)
	}
	runtime.KeepAlive(buf)
}
