package publish

import "strings"

// DiffOp says whether a line is in both versions, only the old or only the
// new one.
type DiffOp string

const (
	DiffSame   DiffOp = "same"
	DiffDelete DiffOp = "delete"
	DiffInsert DiffOp = "insert"
)

// DiffLine is one line of a diff.
type DiffLine struct {
	Op   DiffOp
	Text string
}

// FieldChange is a catalog field that differs between two versions.
type FieldChange struct {
	Label    string
	Old, New string
}

// Changes lists the metadata fields that differ between a and b, with
// their labels in the catalog.
func Changes(a, b *Version) []FieldChange {
	fields := []struct {
		label    string
		old, new string
	}{
		{"标题", a.Title, b.Title}, {"副标题", a.Subtitle, b.Subtitle}, {"摘要", a.Summary, b.Summary},
		{"文号", a.DocNo, b.DocNo}, {"发布机构", a.Issuer, b.Issuer}, {"主题分类", a.Topic, b.Topic}, {"体裁", a.Genre, b.Genre},
		{"成文日期", dateText(a.WrittenDate), dateText(b.WrittenDate)}, {"形成或变更日期", dateText(a.FormedDate), dateText(b.FormedDate)},
		{"公开方式", a.Disclosure.Label(), b.Disclosure.Label()}, {"关键词", a.Keywords, b.Keywords},
		{"来源", a.Source, b.Source}, {"作者", a.Author, b.Author}, {"更新说明", a.ChangeNote, b.ChangeNote},
	}
	var out []FieldChange
	for _, f := range fields {
		if f.old != f.new {
			out = append(out, FieldChange{Label: f.label, Old: f.old, New: f.new})
		}
	}
	return out
}

// DiffText compares two texts line by line (longest common subsequence) and
// returns the lines of both in order, marked same, deleted or inserted.
// Bodies are compared as PlainText, so markup changes alone do not show.
func DiffText(old, new string) []DiffLine {
	a, b := splitLines(old), splitLines(new)
	// Bodies have at most a few thousand lines; the quadratic table is
	// bounded to keep a pathological pair cheap.
	if len(a)*len(b) > 4_000_000 {
		out := make([]DiffLine, 0, len(a)+len(b))
		for _, l := range a {
			out = append(out, DiffLine{DiffDelete, l})
		}
		for _, l := range b {
			out = append(out, DiffLine{DiffInsert, l})
		}
		return out
	}
	n, m := len(a), len(b)
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []DiffLine
	i, j := 0, 0
	for i < n && j < m {
		switch {
		case a[i] == b[j]:
			out = append(out, DiffLine{DiffSame, a[i]})
			i, j = i+1, j+1
		case lcs[i+1][j] >= lcs[i][j+1]:
			out = append(out, DiffLine{DiffDelete, a[i]})
			i++
		default:
			out = append(out, DiffLine{DiffInsert, b[j]})
			j++
		}
	}
	for ; i < n; i++ {
		out = append(out, DiffLine{DiffDelete, a[i]})
	}
	for ; j < m; j++ {
		out = append(out, DiffLine{DiffInsert, b[j]})
	}
	return out
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}
