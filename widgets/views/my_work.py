"""Home page: the participant's code, coming back with a code, the portfolio, deleting one's data."""

from __future__ import annotations

import base64
from html import escape

import ipywidgets as w

from widgets import identity, portfolio, session
from widgets.i18n import catalog
from widgets.views._html import message, para
from widgets.views.saving import identity_widget


def _download_link(content: str, mimetype: str, filename: str, label: str, css_class: str) -> str:
    """A link that saves ``content`` as a file, made in the browser (works offline, needs no server route)."""
    data = base64.b64encode(content.encode("utf-8")).decode("ascii")
    return (
        f'<a class="wb-download {css_class}" download="{escape(filename)}" target="_self" '
        f'href="data:{mimetype};charset=utf-8;base64,{data}">{escape(label)}</a>'
    )


class MyWork(w.VBox):
    def __init__(self, lang: str = "fr", current: session.Session | None = None) -> None:
        self.lang = lang
        self.strings = t = catalog(lang)
        self.session = current or session.current()
        self._switched_to: str | None = None
        self.code_line = w.HTML().add_class("wb-code")
        self.code_box = w.Text(
            description=t("my_work.have_code"),
            placeholder=t("my_work.code_placeholder"),
            continuous_update=False,
        )
        self.code_box.add_class("wb-code-input")
        self.use_code = w.Button(description=t("my_work.use_code")).add_class("wb-use-code")
        self.use_code.on_click(lambda _button: self.switch_code())
        self.code_message = w.HTML().add_class("wb-message").add_class("wb-code-message")
        self.prepare = w.Button(description=t("my_work.prepare"), button_style="primary")
        self.prepare.add_class("wb-prepare")
        self.prepare.on_click(lambda _button: self.prepare_portfolio())
        self.downloads = w.HTML().add_class("wb-downloads")
        self.delete = w.Button(description=t("my_work.delete")).add_class("wb-delete")
        self.delete.on_click(lambda _button: self.ask_to_delete())
        self.confirm_text = w.HTML()
        self.confirm_yes = w.Button(description=t("my_work.delete_yes"), button_style="danger")
        self.confirm_yes.add_class("wb-delete-yes")
        self.confirm_yes.on_click(lambda _button: self.delete_everything())
        self.confirm_no = w.Button(description=t("my_work.delete_no")).add_class("wb-delete-no")
        self.confirm_no.on_click(lambda _button: self._close_confirmation())
        self.confirmation = w.VBox([self.confirm_text, w.HBox([self.confirm_yes, self.confirm_no])])
        self.confirmation.add_class("wb-confirm")
        self.confirmation.layout.display = "none"
        self.delete_message = w.HTML().add_class("wb-message").add_class("wb-delete-message")
        super().__init__(
            [
                w.HTML(f"<h2>{escape(t('my_work.heading'))}</h2>"),
                self.code_line,
                w.HTML(para(t("my_work.code_hint"), "wb-hint")),
                w.HBox([self.code_box, self.use_code]).add_class("wb-actions"),
                self.code_message,
                w.HBox([self.prepare, self.delete]).add_class("wb-actions"),
                self.downloads,
                self.confirmation,
                self.delete_message,
            ]
        )
        self.add_class("wb-exercise").add_class("wb-my-work")
        self.session.subscribe(self._show_code)
        self._show_code()

    def _show_code(self) -> None:
        code = self.session.participant or "…"
        self.code_line.value = (
            f"<p><strong>{escape(self.strings('my_work.your_code', code=code))}</strong></p>"
        )
        self.downloads.value = ""

    def switch_code(self) -> None:
        """Become the participant whose code was typed, if it is well formed and has answers here."""
        t = self.strings
        if not self.code_box.value.strip() and self.session.participant == self._switched_to:
            return  # a second click on the button just used (the box was emptied): the message stays
        try:
            code = identity.normalize(self.code_box.value)
        except identity.CodeError:
            self.code_message.value = message(t("my_work.code_malformed"), ok=False)
            return
        if code != self.session.participant and not self.session.knows(code):
            self.code_message.value = message(t("my_work.code_unknown"), ok=False)
            return
        identity_widget().participant = code  # the browser keeps it; the session loads its answers
        self.session.identify(code)
        self._switched_to = code
        self.code_box.value = ""
        self.code_message.value = message(t("my_work.code_switched"), ok=True)

    def prepare_portfolio(self) -> None:
        t = self.strings
        code = self.session.participant
        if code is None:
            self.downloads.value = message(t("my_work.not_identified"), ok=False)
            return
        answers = self.session.answers
        stem = f"portfolio-{code}"
        self.downloads.value = (
            '<p class="wb-download-links">'
            + _download_link(portfolio.html(answers, self.lang, code), "text/html", f"{stem}.html",
                             t("my_work.download_html"), "wb-download-html")
            + " "
            + _download_link(portfolio.markdown(answers, self.lang, code), "text/markdown", f"{stem}.md",
                             t("my_work.download_md"), "wb-download-md")
            + "</p>"
        )  # fmt: skip

    def ask_to_delete(self) -> None:
        code = self.session.participant or "…"
        self.confirm_text.value = para(self.strings("my_work.delete_confirm", code=code), "wb-problem")
        self.confirmation.layout.display = "flex"
        self.delete_message.value = ""

    def _close_confirmation(self) -> None:
        self.confirmation.layout.display = "none"

    def delete_everything(self) -> None:
        removed = self.session.forget()
        self._close_confirmation()
        self.delete_message.value = message(self.strings("my_work.deleted", count=removed), ok=True)
