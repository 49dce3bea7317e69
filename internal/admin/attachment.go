package admin

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"html"
	"io"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"

	"gongkai/internal/apperr"
	"gongkai/internal/blob"
	"gongkai/internal/publish"
	"gongkai/internal/publish/docx"
	"gongkai/internal/web"
)

// sniff returns the content type of a stored file from its bytes, never
// from its name: net/http's sniffing (the WHATWG algorithm), and for ZIP
// archives a look inside, because .docx, .xlsx and .pptx are ZIP files
// told apart only by the part they contain.
func sniff(f io.ReaderAt, size int64) string {
	head := make([]byte, 512)
	n, _ := f.ReadAt(head, 0) // a short file reads fewer bytes, which is fine
	ct, _, _ := mime.ParseMediaType(http.DetectContentType(head[:n]))
	if ct != "application/zip" {
		return ct
	}
	zr, err := zip.NewReader(f, size)
	if err != nil {
		return "application/octet-stream" // looks like ZIP but is not readable
	}
	for _, zf := range zr.File {
		switch {
		case zf.Name == "word/document.xml":
			return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
		case zf.Name == "xl/workbook.xml":
			return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
		case zf.Name == "ppt/presentation.xml":
			return "application/vnd.openxmlformats-officedocument.presentationml.presentation"
		}
	}
	return "application/zip"
}

// storeUpload stores the uploaded file field and returns its attachment
// record (not yet attached) with the type detected from the content.
func (h *handler) storeUpload(r *http.Request, field string) (*publish.Attachment, error) {
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, apperr.Invalidf(field, "文件过大，不能超过%d MB", publish.MaxAttachment>>20)
		}
		return nil, apperr.Invalidf(field, "请选择要上传的文件")
	}
	file, hdr, err := r.FormFile(field)
	if err != nil {
		return nil, apperr.Invalidf(field, "请选择要上传的文件")
	}
	defer file.Close()
	// JPEG and PNG lose their EXIF (GPS position), XMP and comments
	// before they are stored (issue 4; admin/screening.go).
	clean, err := stripMetadata(file, field)
	if err != nil {
		return nil, err
	}
	sum, size, err := h.Pub.Files.Put(clean, publish.MaxAttachment)
	if errors.Is(err, blob.ErrTooLarge) {
		return nil, apperr.Invalidf(field, "文件过大，不能超过%d MB", publish.MaxAttachment>>20)
	}
	if err != nil {
		return nil, err
	}
	stored, err := h.Pub.Files.Open(sum)
	if err != nil {
		return nil, err
	}
	defer stored.Close()
	return &publish.Attachment{Name: path.Base(strings.ReplaceAll(hdr.Filename, "\\", "/")), ContentType: sniff(stored, size), Size: size, SHA256: sum}, nil
}

func (h *handler) attachmentAdd(w http.ResponseWriter, r *http.Request) error {
	it, o, p, err := h.loadItem(r)
	if err != nil {
		return err
	}
	a, err := h.storeUpload(r, "file")
	if err == nil {
		a.Caption, a.IsMap = strings.TrimSpace(r.PostFormValue("caption")), r.PostFormValue("is_map") != ""
		err = h.Pub.Service.AddAttachment(r.Context(), actor(r), it.ID, a)
	}
	if inv, ok := apperr.AsInvalid(err); ok {
		page, perr := h.itemShowPage(w, r, it, o, p)
		if perr != nil {
			return perr
		}
		page.Errors = showErrors(inv.Fields)
		page.Screen.Caption, page.Screen.IsMap = r.PostFormValue("caption"), r.PostFormValue("is_map") != ""
		return h.tmpl.Render(w, http.StatusUnprocessableEntity, "item/show", page)
	}
	if err != nil {
		return err
	}
	redirect(w, r, itemURL(it.ID), "已上传附件“"+a.Name+"”")
	return nil
}

func (h *handler) attachmentRemove(w http.ResponseWriter, r *http.Request) error {
	it, _, _, err := h.loadItem(r)
	if err != nil {
		return err
	}
	attID, err := web.PathID(r, "att")
	if err != nil {
		return err
	}
	if err := h.Pub.Service.RemoveAttachment(r.Context(), actor(r), it.ID, attID); err != nil {
		return err
	}
	redirect(w, r, itemURL(it.ID), "已删除附件")
	return nil
}

// attachmentDownload serves an attachment of any version to staff who may
// see the item.
func (h *handler) attachmentDownload(w http.ResponseWriter, r *http.Request) error {
	it, _, _, err := h.loadItem(r)
	if err != nil {
		return err
	}
	attID, err := web.PathID(r, "att")
	if err != nil {
		return err
	}
	a, err := h.Pub.Items.Attachment(r.Context(), attID)
	if err != nil {
		return err
	}
	if a.ItemID != it.ID {
		return fmt.Errorf("attachment %d of another item: %w", attID, apperr.ErrNotFound)
	}
	return serveFile(w, h.Pub.Files, a)
}

// serveFile writes a stored attachment with its detected type and its
// name as the download name.
func serveFile(w http.ResponseWriter, files *blob.Local, a *publish.Attachment) error {
	f, err := files.Open(a.SHA256)
	if err != nil {
		return err
	}
	defer f.Close()
	w.Header().Set("Content-Type", a.ContentType)
	w.Header().Set("Content-Length", strconv.FormatInt(a.Size, 10))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	disp := "attachment"
	if strings.HasPrefix(a.ContentType, "image/") || a.ContentType == "application/pdf" {
		disp = "inline"
	}
	w.Header().Set("Content-Disposition", mime.FormatMediaType(disp, map[string]string{"filename": a.Name}))
	w.Header().Set("Content-Security-Policy", "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox; frame-ancestors 'none'")
	_, err = io.Copy(w, f)
	return err
}

// itemImport replaces the draft's body with a Word document's content;
// the document's images become attachments.
func (h *handler) itemImport(w http.ResponseWriter, r *http.Request) error {
	it, o, _, err := h.loadItem(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	err = h.importDocx(r, it)
	if inv, ok := apperr.AsInvalid(err); ok {
		v, verr := h.Pub.Items.ItemVersion(ctx, it.ID, it.Current)
		if verr != nil {
			return verr
		}
		fields := map[string]string{}
		for k, m := range inv.Fields {
			fields["docx"] = m
			if k != "docx" && k != "body" {
				fields[k] = m
			}
		}
		p, perr := h.itemFormPage(w, r, o, it, publish.DraftOf(v), v.Rev, fields)
		if perr != nil {
			return perr
		}
		return h.renderForm(w, http.StatusUnprocessableEntity, p)
	}
	if err != nil {
		return err
	}
	redirect(w, r, itemURL(it.ID)+"/edit", "已从 Word 文档导入正文，请检查后保存")
	return nil
}

func (h *handler) importDocx(r *http.Request, it *publish.Item) error {
	ctx, act := r.Context(), actor(r)
	if it.State != publish.StateDraft {
		return apperr.Invalidf("docx", "只有草稿可以导入正文")
	}
	up, err := h.storeUpload(r, "docx")
	if err != nil {
		return err
	}
	if up.ContentType != "application/vnd.openxmlformats-officedocument.wordprocessingml.document" {
		return apperr.Invalidf("docx", "所选文件不是 Word（.docx）文档；旧版 .doc 文件请先在 Word 或 WPS 中另存为 .docx")
	}
	f, err := h.Pub.Files.Open(up.SHA256)
	if err != nil {
		return err
	}
	doc, err := docx.Read(f, up.Size)
	f.Close()
	if err != nil {
		return apperr.Invalidf("docx", "无法读取此 Word 文档，请确认文件完好")
	}
	body := doc.HTML
	for i, img := range doc.Images {
		clean, err := stripMetadata(bytes.NewReader(img.Data), "docx")
		if err != nil {
			return err
		}
		sum, size, err := h.Pub.Files.Put(clean, publish.MaxAttachment)
		if err != nil {
			return apperr.Invalidf("docx", "文档中的图片过大")
		}
		ct, _, _ := mime.ParseMediaType(http.DetectContentType(img.Data))
		a := &publish.Attachment{Name: img.Name, ContentType: ct, Size: size, SHA256: sum}
		if err := h.Pub.Service.AddAttachment(ctx, act, it.ID, a); err != nil {
			return err
		}
		alt := img.Alt
		if alt == "" {
			alt = fmt.Sprintf("图%d", i+1)
		}
		src := "/files/" + sum + "/" + url.PathEscape(img.Name)
		body = strings.Replace(body, `src="`+docx.ImageSrc(i)+`" alt="`+html.EscapeString(img.Alt)+`"`,
			`src="`+src+`" alt="`+html.EscapeString(alt)+`"`, 1)
	}
	v, err := h.Pub.Items.ItemVersion(ctx, it.ID, it.Current)
	if err != nil {
		return err
	}
	d := publish.DraftOf(v)
	d.Body = body
	return h.Pub.Service.Save(ctx, act, it.ID, v.Rev, d)
}

// itemFile serves a file of the item's current or public version by its
// SHA-256, so that the staff preview shows a draft's images.
func (h *handler) itemFile(w http.ResponseWriter, r *http.Request) error {
	it, _, _, err := h.loadItem(r)
	if err != nil {
		return err
	}
	sha := strings.ToLower(r.PathValue("sha"))
	for _, n := range []int{it.Current, it.Live} {
		if n == 0 {
			continue
		}
		atts, err := h.Pub.Items.ItemAttachments(r.Context(), it.ID, n)
		if err != nil {
			return err
		}
		for i := range atts {
			if atts[i].SHA256 == sha {
				return serveFile(w, h.Pub.Files, &atts[i])
			}
		}
	}
	return fmt.Errorf("file %s of item %d: %w", sha, it.ID, apperr.ErrNotFound)
}
