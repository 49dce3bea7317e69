package screening_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"gongkai/internal/screening"
)

// fuzzSeeds are starting inputs for the fuzz targets: every shape the
// detectors look for, and their near misses.
var fuzzSeeds = []string{
	"",
	"身份证号：11010519491231002X，电话13812345678。",
	"电话 138 1234 5678 或 +86 139-1234-5678，座机0722-3335678",
	"卡号 6222 0212 3456 7890 128 与 4111111111111111",
	"金额1234567890123456.00元，索引号011043240/2017-00123，随民发〔2017〕12号",
	"机密★1年\n关于加强内部管理的通知\n内部资料 注意保存\n在不涉及党和国家机密的前提下",
	"邮箱 zhangsan@example.com 地址湖北省随州市曾都区文帝大道88号3栋2单元501室",
	"身份证：４２０３９９１９９００１０１１２３Ｘ＋８６１３８１２３４５６７８",
	"★秘密★★ 1年\n\n\r\n内部\n@@a@b.cc@",
	"\xff\xfe1381234567\xe6\x95\x8f8\xef\xbc",
	"12-3-4-5-6-7-8-9 1 2 3 4 5 6 7 8 9 0 x X 1X",
	"审图号：GS京(2022)1061号 （2019）",
}

// fuzzWords is a small list so FuzzScan also drives the automaton.
func fuzzWords(f *testing.F) *screening.WordList {
	wl, err := screening.NewWordList([]screening.Word{
		{Text: "敏感"}, {Text: "敏感词"}, {Text: "感词"}, {Text: "ab"}, {Text: "b"}, {Text: "1381"},
	})
	if err != nil {
		f.Fatalf("NewWordList: %v", err)
	}
	return wl
}

// FuzzScan checks that Scan never panics and that its findings are in
// bounds, sorted, disjoint and masked.
func FuzzScan(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	wl := fuzzWords(f)
	f.Fuzz(func(t *testing.T, text string) {
		fs := screening.Scan(text, screening.Options{Now: fixedNow, Words: wl, Location: "fuzz"})
		end := 0
		for _, fd := range fs {
			if fd.Offset < end || fd.Length <= 0 || fd.End() > len(text) {
				t.Fatalf("finding %v out of order or bounds (previous end %d, text length %d)", fd, end, len(text))
			}
			end = fd.End()
			raw := text[fd.Offset:fd.End()]
			switch fd.Kind {
			case screening.KindIDNumber, screening.KindMobile, screening.KindBankCard:
				if fd.Severity != screening.SeverityBlocking {
					t.Errorf("%v: want blocking", fd)
				}
				if strings.Contains(fd.Excerpt, raw) || !strings.Contains(fd.Excerpt, "*") {
					t.Errorf("%v: excerpt is not masked", fd)
				}
			case screening.KindEmail, screening.KindAddress:
				if fd.Excerpt == raw {
					t.Errorf("%v: excerpt is not masked", fd)
				}
			}
			if fd.Location != "fuzz" {
				t.Errorf("%v: location = %q, want fuzz", fd, fd.Location)
			}
		}
	})
}

// FuzzMask checks that masking the findings of Scan never panics, keeps
// the text outside the spans, never lengthens a span by more than the
// e-mail mask's three stars, and removes every number it masked.
func FuzzMask(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		fs := screening.Scan(text, screening.Options{Now: fixedNow})
		masked := screening.Mask(text, fs)
		// Rebuild the expected output span by span to check lengths.
		var b strings.Builder
		last := 0
		for _, fd := range fs {
			b.WriteString(text[last:fd.Offset])
			m := screening.MaskValue(fd.Kind, text[fd.Offset:fd.End()])
			raw := text[fd.Offset:fd.End()]
			rn, mn := utf8.RuneCountInString(raw), utf8.RuneCountInString(m)
			if fd.Kind == screening.KindEmail {
				if mn > rn+2 {
					t.Errorf("%v: mask %q has %d runes, raw has %d", fd, m, mn, rn)
				}
			} else if mn != rn {
				t.Errorf("%v: mask %q has %d runes, raw has %d", fd, m, mn, rn)
			}
			switch fd.Kind {
			case screening.KindIDNumber, screening.KindMobile, screening.KindBankCard:
				if strings.Contains(masked, raw) && !strings.Contains(text[fd.End():], raw) && !strings.Contains(text[:fd.Offset], raw) {
					t.Errorf("%v: masked text still holds %q", fd, raw)
				}
			}
			b.WriteString(m)
			last = fd.End()
		}
		b.WriteString(text[last:])
		if b.String() != masked {
			t.Errorf("Mask(%q) = %q, want %q", text, masked, b.String())
		}
		if len(fs) == 0 && masked != text {
			t.Errorf("Mask without findings changed %q to %q", text, masked)
		}
	})
}

// FuzzFindApprovalNumbers checks that every number found is a substring of
// the input.
func FuzzFindApprovalNumbers(f *testing.F) {
	for _, s := range []string{"审图号：GS京(2022)1061号", "鄂S（2020）012號", "GS(", "S(2019)", "GS京("} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		for _, n := range screening.FindApprovalNumbers(text) {
			if !strings.Contains(text, n) {
				t.Errorf("FindApprovalNumbers(%q) returned %q, not in the text", text, n)
			}
		}
	})
}
