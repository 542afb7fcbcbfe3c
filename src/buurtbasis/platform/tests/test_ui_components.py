"""The shared UI components render real Django forms accessibly, for every widget kind."""

import re
from pathlib import Path

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.paginator import Paginator
from django.template import Context, Template, TemplateSyntaxError
from django.test import RequestFactory
from django.utils.translation import override


class Everything(forms.Form):
    name = forms.CharField(label="Name", help_text="As others see it.")
    about = forms.CharField(label="About", widget=forms.Textarea, required=False)
    kind = forms.ChoiceField(label="Kind", choices=[("a", "A"), ("b", "B")])
    size = forms.ChoiceField(
        label="Size", choices=[("s", "S"), ("l", "L")], widget=forms.RadioSelect
    )
    days = forms.MultipleChoiceField(
        label="Days", choices=[("mo", "Mo"), ("tu", "Tu")], widget=forms.CheckboxSelectMultiple
    )
    agree = forms.BooleanField(label="I agree", help_text="Read the terms first.")
    photo = forms.ImageField(label="Photo", required=False)
    token = forms.CharField(widget=forms.HiddenInput)

    def clean(self):
        raise forms.ValidationError("The whole form is wrong.")


class Line(forms.Form):
    amount = forms.IntegerField(label="Amount")


def render(source: str, **context) -> str:
    with override("en"):
        return Template("{% load ui %}" + source).render(Context(context))


def invalid_form():
    form = Everything(data={"name": "", "kind": "x", "size": "", "token": ""})
    assert not form.is_valid()
    return form


def test_a_text_field_has_its_label_help_text_and_errors_wired_for_screen_readers():
    html = render("{% form_field form.name %}", form=invalid_form())
    assert '<label class="utrecht-form-label" for="id_name">Name</label>' in html
    assert 'id="id_name_helptext"' in html and 'id="id_name_error"' in html
    tag = re.search(r"<input[^>]*>", html).group(0)
    assert 'aria-describedby="id_name_helptext id_name_error"' in tag
    assert 'aria-invalid="true"' in tag
    assert "utrecht-textbox--invalid" in tag
    assert "utrecht-form-field--invalid" in html


def test_a_valid_field_is_not_marked_invalid_and_optional_fields_say_so():
    html = render("{% form_field form.about %}", form=Everything())
    assert "aria-invalid" not in html and "error" not in html
    assert "(optional)" in html
    assert "<textarea" in html and "utrecht-textarea" in html


def test_an_input_of_a_custom_widget_class_still_gets_the_textbox_component():
    class DateTimeLocalInput(forms.DateTimeInput):
        input_type = "datetime-local"

    class When(forms.Form):
        at = forms.DateTimeField(label="At", widget=DateTimeLocalInput)

    html = render("{% form_field form.at %}", form=When())
    assert re.search(r'<input type="datetime-local"[^>]*class="utrecht-textbox', html)


def test_a_select_gets_the_select_component():
    html = render("{% form_field form.kind %}", form=invalid_form())
    tag = re.search(r"<select[^>]*>", html).group(0)
    assert "utrecht-select" in tag and 'aria-invalid="true"' in tag
    assert 'aria-describedby="id_kind_error"' in tag


def test_radio_buttons_and_checkbox_lists_are_a_fieldset_with_a_legend():
    form = invalid_form()
    for name in ("size", "days"):
        html = render("{% form_field field %}", field=form[name])
        assert "<fieldset" in html and "<legend" in html and "<label class" not in html
        fieldset = re.search(r"<fieldset[^>]*>", html).group(0)
        assert f'aria-describedby="id_{name}_error"' in fieldset
        assert f'id="id_{name}_0"' in html and f'id="id_{name}_error"' in html
        assert html.count('aria-invalid="true"') == 2  # each option


def test_a_single_checkbox_sits_before_its_label_with_errors_and_help():
    html = render("{% form_field form.agree %}", form=invalid_form())
    assert html.index('type="checkbox"') < html.index('for="id_agree"')
    tag = re.search(r'<input type="checkbox"[^>]*>', html).group(0)
    assert 'aria-describedby="id_agree_helptext id_agree_error"' in tag
    assert "(optional)" not in html


def test_a_file_field_and_a_hidden_field():
    form = Everything(files={"photo": SimpleUploadedFile("x.txt", b"not an image")}, data={})
    form.is_valid()
    html = render("{% form_field form.photo %}", form=form)
    assert 'type="file"' in html and 'id="id_photo_error"' in html
    hidden = render("{% form_field form.token %}", form=form)
    assert hidden.strip().startswith('<input type="hidden"') and "<label" not in hidden


def test_the_error_summary_links_every_field_error_to_its_input():
    html = render("{% error_summary form %}", form=invalid_form())
    assert 'class="error-summary"' in html and 'role="alert"' in html
    assert "The whole form is wrong." in html
    assert '<a href="#id_name">Name: This field is required.</a>' in html
    assert 'href="#id_size_0"' in html and 'href="#id_days_0"' in html  # first option
    assert 'href="#id_agree"' in html
    assert 'href="#id_token"' not in html and "This field is required." in html  # hidden: text


def test_the_error_summary_numbers_formset_errors_and_links_the_formset():
    LineSet = forms.formset_factory(Line, extra=0, min_num=1, validate_min=True)
    data = {"form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "0", "form-0-amount": "x"}
    data["form-1-amount"] = "3"
    formset = LineSet(data=data)
    formset.is_valid()
    html = render(
        '{% error_summary formset=formset formset_label="Cost line" formset_anchor="lines" %}',
        formset=formset,
    )
    assert '<a href="#id_form-0-amount">Cost line 1 – Amount: Enter a whole number.</a>' in html
    empty = LineSet(data={"form-TOTAL_FORMS": "0", "form-INITIAL_FORMS": "0"})
    empty.is_valid()
    html = render('{% error_summary formset=f formset_anchor="lines" %}', f=empty)
    assert '<a href="#lines">' in html


def test_the_error_summary_takes_hand_built_errors_and_a_rate_limit_message():
    html = render(
        '{% error_summary errors=errors default_anchor="plans" rate_limited=limit %}',
        errors=[("points-3", "Too many points."), (None, "Over budget.")],
        limit="Wait ten minutes.",
    )
    assert html.index("Wait ten minutes.") < html.index("Too many points.")
    assert '<a href="#points-3">Too many points.</a>' in html
    assert '<a href="#plans">Over budget.</a>' in html


def test_the_error_summary_renders_nothing_without_errors():
    assert render("{% error_summary form %}", form=Everything()).strip() == ""
    assert render("{% error_summary form %}", form="").strip() == ""


def test_buttons_and_button_links():
    html = render('{% button "Save" %}')
    assert html.strip().startswith('<button type="submit"')
    assert "utrecht-button--primary-action" in html
    link = render('{% button "Back" variant="secondary" href=url %}', url="/x/?a=1&b=2")
    assert '<a href="/x/?a=1&amp;b=2"' in link and "utrecht-button-link--secondary-action" in link
    named = render('{% button "Check" name="action" value="review" nojs_only=True %}')
    assert 'name="action" value="review"' in named and "bb-nojs-only" in named
    with pytest.raises(TemplateSyntaxError):
        render('{% button "Oops" variant="loud" %}')


def test_the_label_of_a_button_is_escaped():
    assert "<b>" not in render("{% button label %}", label="<b>x</b>")


def test_pagination_keeps_the_filters_and_hides_for_one_page():
    request = RequestFactory().get("/lijst/", {"wijk": "3", "pagina": "2"})
    page = Paginator(list(range(30)), 10).page(2)
    html = render('{% pagination page param="pagina" anchor="top" %}', page=page, request=request)
    assert 'href="?wijk=3&amp;pagina=1#top"' in html and 'rel="prev"' in html
    assert 'href="?wijk=3&amp;pagina=3#top"' in html and 'rel="next"' in html
    assert "Page 2 of 3" in html and 'aria-label="Pages"' in html
    single = Paginator([1], 10).page(1)
    assert render("{% pagination page %}", page=single, request=request).strip() == ""


def test_a_table_has_a_caption_and_a_focusable_scrolling_region():
    html = render(
        '{% table caption=c caption_hidden=True css_class="compact" %}'
        "<tbody></tbody>{% endtable %}",
        c="Plans & costs",
    )
    assert 'role="region" tabindex="0" aria-label="Plans &amp; costs"' in html
    assert '<caption class="visually-hidden">Plans &amp; costs</caption><tbody></tbody>' in html
    assert 'class="utrecht-table utrecht-table--html-table compact"' in html


def test_a_card_escapes_its_title_and_keeps_its_body():
    html = render(
        '{% card title=t href="/p/1/" heading_level=2 %}<p>Body</p>{% endcard %}', t="<i>Bank</i>"
    )
    assert '<h2 class="bb-card__title"><a href="/p/1/">&lt;i&gt;Bank&lt;/i&gt;</a></h2>' in html
    assert "<p>Body</p>" in html


def test_status_badge_empty_state_and_definition_list():
    badge = render('{% status_badge "Active" "active" tone="success" %}')
    assert "utrecht-status-badge--success" in badge and "status-active" in badge
    empty = render('{% empty_state "Nothing yet." "Start one" "/start/" %}')
    assert "Nothing yet." in empty and 'href="/start/"' in empty
    dl = render("{% definition_list items %}", items=[("Budget", "<€ 5>"), ("Empty", "")])
    assert "<dt" in dl and "&lt;€ 5&gt;" in dl and "Empty" not in dl


SRC = Path(__file__).resolve().parents[2]


def test_no_app_keeps_its_own_copy_of_the_form_partials():
    copies = [
        str(path.relative_to(SRC))
        for pattern in ("_field.html", "_error_summary.html", "_errors.html", "_form_errors.html")
        for path in SRC.glob(f"*/templates/**/{pattern}")
    ]
    assert copies == []
    raw_fields = [
        str(path.relative_to(SRC))
        for path in SRC.glob("*/templates/**/*.html")
        if "as_field_group" in path.read_text(encoding="utf-8")
    ]
    assert raw_fields == []


def test_a_definition_keeps_the_markup_of_its_value_and_escapes_its_term():
    html = render(
        '<dl>{% definition term lang="nl" %}<a href="/x/">x</a>{% enddefinition %}</dl>',
        term="<E-mail>",
    )
    assert '<dt class="utrecht-data-list__item-key">&lt;E-mail&gt;</dt>' in html
    assert '<dd class="utrecht-data-list__item-value" lang="nl"><a href="/x/">x</a></dd>' in html
