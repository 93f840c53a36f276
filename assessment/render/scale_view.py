"""How pages speak of a question's answer: the scale's names, the descriptor of a level, the
choices picked and the next step up, the preset the answers chose.

A mixin of render.view.View: it reads the view's bank, card, answers and labels.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from assessment.load.models.bank import Choice, Preset

if TYPE_CHECKING:
    from assessment.load.bank import Bank
    from assessment.load.models.answers import Answer
    from assessment.load.models.bank import Evidence, Question
    from assessment.load.models.base import Text
    from assessment.score.scoring import QuestionScore, Scorecard


class ScaleView:
    # Given by View, which this is mixed into.
    if TYPE_CHECKING:

        @property
        def bank(self) -> Bank: ...

        @property
        def card(self) -> Scorecard: ...

        @property
        def site(self) -> Any: ...

        @property
        def L(self) -> Any: ...  # noqa: N802 - the view's label namespace

        def answer(self, question_id: str) -> Answer | None: ...

        def question(self, question_id: str) -> Question: ...

        def tr(self, text: Text | Evidence | None) -> str: ...

    def level_name(self, level: int | str | None) -> str:
        if level == "na":
            return str(self.L.not_applicable)
        if level is None:
            return str(self.L.unanswered)
        names = self.site.level_names
        return names.get(level, str(level)) if isinstance(level, int) else str(level)

    def level_text(self, question_id: str, level: int) -> str:
        return self.tr(self.bank.question_index[question_id].levels.get(level))

    def chosen_preset(self) -> Preset | None:
        """The bank preset the answers picked (questions outside it do not apply)."""
        chosen = self.site.assessment.answers.preset
        return next((p for p in self.bank.manifest.presets if p.id == chosen), None)

    def picked(self, question_id: str) -> tuple[str, ...]:
        answer = self.answer(question_id)
        return () if answer is None else answer.picked

    def better_choice(self, question_id: str, level: float) -> Choice | None:
        """The least valuable choice that would score above `level`: the next step up."""
        top = self.card.max_level
        above = [c for c in self.question(question_id).choices if c.value * top > level]
        return min(above, key=lambda c: c.value, default=None)

    def choices_to_add(self, question_id: str) -> list[Choice]:
        """Where several choices add up: every choice not yet picked that adds something,
        most valuable first (no single choice may be worth more than those picked)."""
        picked = set(self.picked(question_id))
        choices = self.question(question_id).choices
        return sorted(
            (c for c in choices if c.id not in picked and c.value > 0), key=lambda c: -c.value
        )

    def next_step(self, qs: QuestionScore, *, labelled: bool = True) -> Markup:
        """What the roadmap asks for next: the descriptor of the level above, or the next
        better choice where the question is answered by choice."""
        assert isinstance(qs.level, int | float)  # noqa: S101 - only answered questions gain
        question = self.question(qs.id)
        if question.multiple:
            missing = self.choices_to_add(qs.id)
            label, text = str(self.L.choices_to_add), "; ".join(self.tr(c.text) for c in missing)
        elif question.choices:
            better = self.better_choice(qs.id, qs.level)
            label, text = str(self.L.better_choice), self.tr(better.text) if better else ""
        else:
            step = int(qs.level) + 1
            label, text = f"{self.L.to_reach} {step}", self.level_text(qs.id, step)
        if not labelled:
            return Markup("{}").format(text)
        return Markup("<strong>{}:</strong> {}").format(label, text)
