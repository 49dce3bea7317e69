package workday_test

import (
	"encoding/json"
	"testing"
	"time"

	"gongkai/internal/workday"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in      string
		want    workday.Date
		wantErr bool
	}{
		{in: "2024-02-09", want: workday.NewDate(2024, time.February, 9)},
		{in: "2024-02-29", want: workday.NewDate(2024, time.February, 29)},
		{in: "2023-02-29", wantErr: true},
		{in: "2024-2-9", wantErr: true},
		{in: "2024/02/09", wantErr: true},
		{in: " 2024-02-09", wantErr: true},
		{in: "2024-02-09T00:00:00Z", wantErr: true},
		{in: "", wantErr: true},
	}
	for _, tt := range tests {
		got, err := workday.Parse(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("Parse(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			continue
		}
		if got != tt.want {
			t.Errorf("Parse(%q) = %s, want %s", tt.in, got, tt.want)
		}
		if err == nil && got.String() != tt.in {
			t.Errorf("Parse(%q).String() = %q, want the input back", tt.in, got.String())
		}
	}
}

func TestDate(t *testing.T) {
	d := workday.NewDate(2023, time.February, 30)
	if d.String() != "2023-03-02" {
		t.Errorf("NewDate(2023, 2, 30) = %s, want 2023-03-02", d)
	}
	if got := d.AddDays(-2); got.String() != "2023-02-28" {
		t.Errorf("%s.AddDays(-2) = %s, want 2023-02-28", d, got)
	}
	if got := workday.NewDate(2023, time.December, 31).AddDays(1); got.String() != "2024-01-01" {
		t.Errorf("2023-12-31.AddDays(1) = %s, want 2024-01-01", got)
	}
	if got := d.Weekday(); got != time.Thursday {
		t.Errorf("%s.Weekday() = %s, want Thursday", d, got)
	}
	earlier := workday.NewDate(2023, time.January, 31)
	if !earlier.Before(d) || d.Before(earlier) || !d.After(earlier) || d.Compare(d) != 0 {
		t.Errorf("ordering of %s and %s is wrong", earlier, d)
	}
	shanghai := time.FixedZone("CST", 8*3600)
	instant := time.Date(2024, time.January, 31, 17, 0, 0, 0, time.UTC) // 01:00 on Feb 1 in China
	if got := workday.DateOf(instant.In(shanghai)); got.String() != "2024-02-01" {
		t.Errorf("DateOf(%s in China) = %s, want 2024-02-01", instant, got)
	}
	if !(workday.Date{}).IsZero() || d.IsZero() {
		t.Errorf("IsZero is wrong")
	}
}

func TestDateJSON(t *testing.T) {
	type doc struct {
		Due  workday.Date `json:"due"`
		Sent workday.Date `json:"sent"`
	}
	in := doc{Due: workday.NewDate(2024, time.May, 6)}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatalf("Marshal error = %v", err)
	}
	if string(b) != `{"due":"2024-05-06","sent":""}` {
		t.Errorf("Marshal = %s", b)
	}
	var out doc
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("Unmarshal(%s) error = %v", b, err)
	}
	if out != in {
		t.Errorf("Unmarshal(%s) = %+v, want %+v", b, out, in)
	}
	if err := json.Unmarshal([]byte(`{"due":"2024-13-01"}`), &out); err == nil {
		t.Errorf("Unmarshal of month 13 succeeded")
	}
}
