package screening_test

import (
	"testing"

	"gongkai/internal/screening"
)

func TestFindApprovalNumbers(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{name: "national number", text: "审图号：GS(2019)1822号", want: []string{"GS(2019)1822号"}},
		{name: "full-width brackets", text: "审图号：GS（2019）1822号", want: []string{"GS（2019）1822号"}},
		{name: "provincial number", text: "审图号：鄂S(2020)012号", want: []string{"鄂S(2020)012号"}},
		{name: "national number for a province", text: "审图号：GS京(2022)1061号", want: []string{"GS京(2022)1061号"}},
		{name: "another national number", text: "GS(2016)2893号", want: []string{"GS(2016)2893号"}},
		{name: "spaces inside", text: "GS (2016) 2893 号", want: []string{"GS (2016) 2893 号"}},
		{name: "without 号", text: "审图号 GS(2016)2893", want: []string{"GS(2016)2893"}},
		{name: "two numbers", text: "GS(2016)2893号；鄂S(2020)012号", want: []string{"GS(2016)2893号", "鄂S(2020)012号"}},
		{name: "document number is not one", text: "随民发〔2017〕12号", want: nil},
		{name: "bracketed year without prefix", text: "（2019）1822号", want: nil},
		{name: "year out of range", text: "GS(1822)2019号", want: nil},
		{name: "unknown prefix", text: "AS(2019)1822号", want: nil},
		{name: "prefix only", text: "GS(", want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := screening.FindApprovalNumbers(tt.text); !equalStrings(got, tt.want) {
				t.Errorf("FindApprovalNumbers(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestCheckMap(t *testing.T) {
	tests := []struct {
		name     string
		img      screening.Image
		wantOK   bool
		wantConf screening.Confidence
	}{
		{name: "map caption without approval number", img: screening.Image{Caption: "随州市行政区划图"}, wantOK: true, wantConf: screening.ConfidenceHigh},
		{name: "map caption with approval number", img: screening.Image{Caption: "随州市地图 审图号：鄂S(2020)012号"}, wantOK: false},
		{name: "approval number printed nearby", img: screening.Image{Caption: "随州市地图", Nearby: "审图号：GS(2019)1822号"}, wantOK: false},
		{name: "marked as a map", img: screening.Image{FileName: "IMG_0001.jpg", MarkedAsMap: true}, wantOK: true, wantConf: screening.ConfidenceHigh},
		{name: "map in the file name", img: screening.Image{FileName: "suizhou_map.png"}, wantOK: true, wantConf: screening.ConfidenceHigh},
		{name: "sketch map is low confidence", img: screening.Image{Alt: "救助站位置示意图"}, wantOK: true, wantConf: screening.ConfidenceLow},
		{name: "floor plan is low confidence", img: screening.Image{Title: "办事大厅平面图"}, wantOK: true, wantConf: screening.ConfidenceLow},
		{name: "Traditional characters", img: screening.Image{Caption: "隨州市地圖"}, wantOK: true, wantConf: screening.ConfidenceHigh},
		{name: "photo of a meeting", img: screening.Image{Caption: "全市民政工作会议现场", FileName: "meeting.jpg"}, wantOK: false},
		{name: "word containing map is not map", img: screening.Image{FileName: "mapping-table.png"}, wantOK: false},
		{name: "empty image", img: screening.Image{}, wantOK: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.img.Location = "正文图片1"
			f, ok := screening.CheckMap(tt.img)
			if ok != tt.wantOK {
				t.Fatalf("CheckMap(%+v) ok = %v, want %v (finding %v)", tt.img, ok, tt.wantOK, f)
			}
			if !ok {
				return
			}
			if f.Kind != screening.KindMapWithoutApproval || f.Severity != screening.SeverityBlocking || f.Confidence != tt.wantConf || f.Location != "正文图片1" {
				t.Errorf("CheckMap(%+v) = %v, want blocking %s map finding at 正文图片1", tt.img, f, tt.wantConf)
			}
		})
	}
}
