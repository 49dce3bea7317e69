package audit_test

import (
	"errors"
	"testing"
	"time"

	"gongkai/internal/audit"
)

func chain(n int) []audit.Record {
	var out []audit.Record
	prev := ""
	for i := range n {
		r := audit.Record{ID: int64(i + 1), At: time.Date(2026, 3, 2, 9, i, 0, 123456789, time.UTC), ActorName: "admin", Action: audit.ActOrgCreate, Detail: "第" + string(rune('1'+i)) + "条"}
		r.Seal(prev)
		prev = r.Hash
		out = append(out, r)
	}
	return out
}

func verify(recs []audit.Record) error {
	var v audit.Verifier
	for _, r := range recs {
		if err := v.Next(r); err != nil {
			return err
		}
	}
	return nil
}

func TestVerifierFindsTheFirstBrokenRecord(t *testing.T) {
	tests := []struct {
		name   string
		mutate func([]audit.Record) []audit.Record
		wantID int64 // 0: intact
	}{
		{"intact", func(r []audit.Record) []audit.Record { return r }, 0},
		{"changed detail", func(r []audit.Record) []audit.Record { r[2].Detail = "改"; return r }, 3},
		{"changed time", func(r []audit.Record) []audit.Record { r[1].At = r[1].At.Add(time.Second); return r }, 2},
		{"deleted record", func(r []audit.Record) []audit.Record { return append(r[:1], r[2:]...) }, 3},
		{"resealed record", func(r []audit.Record) []audit.Record { r[1].Detail = "改"; r[1].Seal(r[0].Hash); return r }, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := verify(tt.mutate(chain(5)))
			var broken *audit.BrokenError
			switch {
			case tt.wantID == 0 && err != nil:
				t.Errorf("verify = %v, want nil", err)
			case tt.wantID != 0 && (!errors.As(err, &broken) || broken.ID != tt.wantID):
				t.Errorf("verify = %v, want BrokenError at %d", err, tt.wantID)
			}
		})
	}
}
