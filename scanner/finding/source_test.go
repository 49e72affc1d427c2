package finding

import "testing"

func TestLineSet(t *testing.T) {
	var s LineSet
	s.Add(10, 3) // 10-12
	s.Add(1, 1)
	s.Add(12, 5) // 12-16, merges
	for line, want := range map[int]bool{0: false, 1: true, 2: false, 9: false, 10: true, 16: true, 17: false} {
		if s.Contains(line) != want {
			t.Errorf("Contains(%d) = %v", line, !want)
		}
	}
	if len(s.ranges) != 2 {
		t.Errorf("ranges = %v, want 2 merged ranges", s.ranges)
	}
}
