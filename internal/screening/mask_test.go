package screening_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"gongkai/internal/screening"
)

func TestMaskFunctions(t *testing.T) {
	tests := []struct {
		name string
		fn   func(string) string
		in   string
		want string
	}{
		{name: "identity number keeps four and four", fn: screening.MaskIDNumber, in: "420399199001011234", want: "4203**********1234"},
		{name: "identity number with X", fn: screening.MaskIDNumber, in: "42039919900101123X", want: "4203**********123X"},
		{name: "grouped identity number keeps its spaces", fn: screening.MaskIDNumber, in: "420399 19900101 1234", want: "4203** ******** 1234"},
		{name: "15-digit identity number keeps four and three", fn: screening.MaskIDNumber, in: "420399900101123", want: "4203********123"},
		{name: "full-width identity number", fn: screening.MaskIDNumber, in: "４２０３９９１９９００１０１１２３４", want: "４２０３**********１２３４"},
		{name: "short input is masked entirely", fn: screening.MaskIDNumber, in: "1234567", want: "*******"},
		{name: "mobile", fn: screening.MaskMobile, in: "13812345678", want: "138****5678"},
		{name: "mobile with separators", fn: screening.MaskMobile, in: "138-1234-5678", want: "138-****-5678"},
		{name: "mobile with country code", fn: screening.MaskMobile, in: "+86 138 1234 5678", want: "+86 138 **** 5678"},
		{name: "card keeps the last four", fn: screening.MaskBankCard, in: "6222021234567890123", want: "***************0123"},
		{name: "grouped card", fn: screening.MaskBankCard, in: "6222 0212 3456 7890", want: "**** **** **** 7890"},
		{name: "e-mail", fn: screening.MaskEmail, in: "zhangsan@example.com", want: "z***@example.com"},
		{name: "e-mail with one-letter local part", fn: screening.MaskEmail, in: "z@example.com", want: "*@example.com"},
		{name: "not an e-mail", fn: screening.MaskEmail, in: "abc", want: "***"},
		{name: "address keeps the divisions", fn: screening.MaskAddress, in: "湖北省随州市曾都区文帝大道88号3栋2单元501室", want: "湖北省随州市曾都区" + strings.Repeat("*", 16)},
		{name: "address without a division", fn: screening.MaskAddress, in: "文帝大道88号", want: "文帝*****"},
		{name: "two-character name", fn: screening.MaskName, in: "张三", want: "张*"},
		{name: "three-character name", fn: screening.MaskName, in: "张小明", want: "张**"},
		{name: "compound surname", fn: screening.MaskName, in: "欧阳娜娜", want: "欧阳**"},
		{name: "compound surname, three characters", fn: screening.MaskName, in: "司马光", want: "司马*"},
		{name: "two characters starting like a compound surname", fn: screening.MaskName, in: "欧阳", want: "欧*"},
		{name: "one character", fn: screening.MaskName, in: "张", want: "*"},
		{name: "spaces trimmed", fn: screening.MaskName, in: " 李四 ", want: "李*"},
		{name: "empty name", fn: screening.MaskName, in: "", want: ""},
		{name: "Latin name keeps spaces", fn: screening.MaskName, in: "John Smith", want: "J*** *****"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.fn(tt.in); got != tt.want {
				t.Errorf("mask(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestMaskText(t *testing.T) {
	g := newGen(8)
	id, mob := g.id18(false), g.mobile()
	text := "1\t张三\t" + id + "\t" + mob + "\t机密★1年"
	fs := screening.Scan(text, screening.Options{Now: fixedNow})
	got := screening.Mask(text, fs)
	want := "1\t张三\t" + id[:4] + strings.Repeat("*", 10) + id[14:] + "\t" + mob[:3] + "****" + mob[7:] + "\t机密★1年"
	if got != want {
		t.Errorf("Mask = %q, want %q", got, want)
	}
}

func TestMaskSkipsStaleFindings(t *testing.T) {
	text := "电话13812345678"
	fs := []screening.Finding{
		{Kind: screening.KindMobile, Offset: 6, Length: 11},
		{Kind: screening.KindMobile, Offset: 8, Length: 11},   // overlaps the first
		{Kind: screening.KindMobile, Offset: 10, Length: 100}, // past the end
		{Kind: screening.KindMobile, Offset: -5, Length: 3},   // negative
		{Kind: screening.KindMobile, Offset: 2, Length: 0},    // empty
	}
	if got, want := screening.Mask(text, fs), "电话138****5678"; got != want {
		t.Errorf("Mask = %q, want %q", got, want)
	}
}

// TestFindingNeverPrintsRawValue formats and logs findings in every way a
// caller might and checks that the raw numbers never appear.
func TestFindingNeverPrintsRawValue(t *testing.T) {
	g := newGen(9)
	raw := []string{g.id18(false), g.mobile(), g.card(16)}
	text := "身份证" + raw[0] + "，手机" + raw[1] + "，卡号" + raw[2] + "，邮箱zhangsan@example.com"
	raw = append(raw, "zhangsan")
	fs := screening.Scan(text, screening.Options{Now: fixedNow, Location: "body"})
	if len(fs) != 4 {
		t.Fatalf("Scan = %v, want 4 findings", fs)
	}
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, nil))
	for _, f := range fs {
		log.Info("finding", "finding", f)
		fmt.Fprintf(&buf, "%v %+v %s\n", f, f, f)
	}
	fmt.Fprintf(&buf, "%v %+v\n", fs, fs)
	for _, r := range raw {
		if strings.Contains(buf.String(), r) {
			t.Errorf("output contains the raw value %q:\n%s", r, buf.String())
		}
	}
	if !strings.Contains(buf.String(), `"excerpt":"`+raw[1][:3]+"****"+raw[1][7:]) {
		t.Errorf("log lacks the masked excerpt:\n%s", buf.String())
	}
}
