package screening_test

import (
	"testing"

	"gongkai/internal/screening"
)

func TestScanMarkings(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string // the reported spans
	}{
		{name: "level alone on a line", text: "秘密\n关于做好2017年低保工作的通知", want: []string{"秘密"}},
		{name: "star form with a period on its own line", text: "机密★1年\n随州市民政局", want: []string{"机密★1年"}},
		{name: "star form inside a line", text: "（本件为秘密★6个月，阅后收回）", want: []string{"秘密★6个月"}},
		{name: "star form with long-term period", text: "绝密★长期", want: []string{"绝密★长期"}},
		{name: "star form before use", text: "试卷 绝密★启用前", want: []string{"绝密★启用前"}},
		{name: "star form in Traditional characters", text: "機密★10年", want: []string{"機密★10年"}},
		{name: "internal-use marks together", text: "内部资料　注意保存", want: []string{"内部资料　注意保存"}},
		{name: "internal mark in brackets", text: "【内部】", want: []string{"【内部】"}},
		{name: "classification label and period", text: "密级：机密　保密期限：5年", want: []string{"密级：机密　保密期限：5年"}},
		{name: "not to be passed on", text: "（此件不得外传）", want: []string{"（此件不得外传）"}},
		{name: "not to be published", text: "（此件不公开）", want: []string{"（此件不公开）"}},
		{name: "table cell on its own line", text: "序号\n文件名称\n内部\n", want: []string{"内部"}},
		{name: "carriage returns are trimmed", text: "内部资料\r\n正文", want: []string{"内部资料"}},
		{name: "state secrets in a sentence", text: "在不涉及党和国家机密的前提下推行政务公开"},
		{name: "keeping secrets in a sentence", text: "严格保守国家秘密"},
		{name: "internal management in a sentence", text: "加强内部管理"},
		{name: "annual report row on state secrets", text: "1.属于国家秘密"},
		{name: "annual report row on internal affairs", text: "5.属于三类内部事务信息"},
		{name: "heading with internal", text: "四、内部审计"},
		{name: "published on purpose", text: "（此件公开发布）"},
		{name: "star without a level", text: "★★★ 五星级服务"},
		{name: "long line mentioning a mark", text: "各单位收到标有秘密字样的文件后应当按照有关规定登记并妥善保管，不得擅自复制"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := screening.Scan(tt.text, screening.Options{Kinds: []screening.Kind{screening.KindMarking}})
			var got []string
			for _, f := range fs {
				got = append(got, tt.text[f.Offset:f.End()])
				if f.Severity != screening.SeverityBlocking {
					t.Errorf("Scan(%q) severity = %s, want blocking", tt.text, f.Severity)
				}
			}
			if !equalStrings(got, tt.want) {
				t.Errorf("Scan(%q) markings = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
