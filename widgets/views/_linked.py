"""Exercises about the same items open the same one together: chapter 03's two exercises share its calls,
chapter 04's its cases, so that "the question you would ask on that call" is about the call just read."""

from __future__ import annotations

from widgets import session


class OpensWithOthers:
    """Mixin for a view with an item picker. It says which item it shows (``current_item``), which it
    knows (``item_ids``) and how it opens one (``open_item``); the picker's observer calls ``_picked``."""

    topic = ""  # views with the same topic open the same item together (see Session.focus)
    session: session.Session

    def current_item(self) -> str:
        raise NotImplementedError

    def item_ids(self) -> set[str]:
        raise NotImplementedError

    def open_item(self, item_id: str) -> None:
        raise NotImplementedError

    def _follow_others(self) -> None:
        if self.topic:
            self.session.follow(self.topic, self._follow)

    def _picked(self, item_id: str) -> None:
        self.open_item(item_id)
        if self.topic:
            self.session.focus(self.topic, item_id)

    def _follow(self, item_id: str) -> None:
        if item_id != self.current_item() and item_id in self.item_ids():
            self.open_item(item_id)
