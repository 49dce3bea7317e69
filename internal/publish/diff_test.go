package publish_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"gongkai/internal/publish"
)

func TestDiffText(t *testing.T) {
	got := publish.DiffText("一\n二\n三\n四", "一\n二改\n三\n四\n五")
	want := []publish.DiffLine{
		{Op: publish.DiffSame, Text: "一"}, {Op: publish.DiffDelete, Text: "二"}, {Op: publish.DiffInsert, Text: "二改"},
		{Op: publish.DiffSame, Text: "三"}, {Op: publish.DiffSame, Text: "四"}, {Op: publish.DiffInsert, Text: "五"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("DiffText() (-want +got):\n%s", diff)
	}
	if got := publish.DiffText("", ""); len(got) != 0 {
		t.Errorf("DiffText of empty texts = %v", got)
	}
}

func TestChanges(t *testing.T) {
	a := &publish.Version{Title: "旧", DocNo: "随民发〔2026〕1号", Disclosure: publish.DiscloseProactive}
	b := &publish.Version{Title: "新", DocNo: "随民发〔2026〕1号", Disclosure: publish.DiscloseOnRequest}
	got := publish.Changes(a, b)
	want := []publish.FieldChange{{Label: "标题", Old: "旧", New: "新"}, {Label: "公开方式", Old: "主动公开", New: "依申请公开"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Changes() (-want +got):\n%s", diff)
	}
}
