"""Rule group: the consultation hangs together and keeps commenters' names out.

Comments are indexed once by id; a response, an amendment or a decision is
then one dictionary look-up, so the group is linear in comments, responses
and revisions.
"""

from __future__ import annotations

import attrs

from charta import contact, rules
from charta.check.context import Check, Context, suggesting
from charta.model import Comment, Decision, KeyPath, Response

__all__ = ["GROUP"]


def comment_index(ctx: Context) -> dict[str, Comment]:
    """The comments by id (the first of duplicates)."""
    cons = ctx.charta.consultation
    comments: dict[str, Comment] = {}
    for comment in cons.comments if cons else ():
        comments.setdefault(comment.id, comment)
    return comments


def dates(ctx: Context) -> None:
    cons = ctx.charta.consultation
    if cons and cons.start and cons.end and cons.end.latest() < cons.start.earliest():
        ctx.emit(
            rules.CONSULTATION_DATES,
            "the consultation ends before it starts",
            ("consultation",),
            "end",
        )


def comments(ctx: Context) -> None:
    """Each comment targets a principle of this charta and shows only a pseudonym."""
    cons = ctx.charta.consultation
    if cons is None:
        return
    # A comment on a principle that was later merged away still has its target.
    merged_away = {m.id for m, _ in ctx.merged_away}
    for n, comment in enumerate(cons.comments):
        path = ("consultation", "comments", n)
        if comment.target is not None:
            if not comment.target.is_local:
                ctx.emit(
                    rules.COMMENT_TARGET,
                    f"a comment targets a principle of this charta: write '#item-id', "
                    f"not '{comment.target}'",
                    path,
                    "target",
                )
            elif comment.target.item not in merged_away:
                ctx.resolve(comment.target, path, "target")
        person = comment.commenter
        if (person.name or person.email) and not person.consent_to_publish:
            ctx.emit(
                rules.PERSONAL_DATA_IN_CHARTA,
                f"the charta file holds the {'name' if person.name else 'email'} of "
                f"'{person.pseudonym}', who did not consent to publication: keep it in the "
                "personal-data file beside the charta (charta consult import writes it), "
                "and only the pseudonym here",
                (*path, "commenter"),
                "name" if person.name else "email",
            )
        if not comment.commenter.pseudonym.strip():
            ctx.emit(
                rules.MISSING_PSEUDONYM,
                "the commenter needs a pseudonym: public outputs show it instead of the name",
                (*path, "commenter"),
                "pseudonym",
            )


def threads(ctx: Context) -> None:
    """A reply answers a comment that exists, and no thread runs in a circle."""
    cons = ctx.charta.consultation
    if cons is None:
        return
    by_id = comment_index(ctx)
    ends: set[str] = set()  # comments whose thread was followed to its start (or a circle)
    for n, comment in enumerate(cons.comments):
        if not comment.in_reply_to:
            continue
        path = ("consultation", "comments", n)
        if comment.in_reply_to not in by_id:
            ctx.emit(
                rules.UNKNOWN_COMMENT,
                suggesting(
                    f"comment '{comment.id}' replies to comment '{comment.in_reply_to}', "
                    "which does not exist",
                    comment.in_reply_to,
                    lambda: list(by_id),
                ),
                path,
                "in-reply-to",
            )
            continue
        # Up the thread until a comment already known to lead to a thread's start:
        # each comment is walked over once in all (linear), and a circle is found.
        path_ids: list[str] = []
        on_path: set[str] = set()
        up: Comment | None = comment
        while up is not None and up.in_reply_to and up.id not in ends:
            if up.id in on_path:
                ctx.emit(
                    rules.UNKNOWN_COMMENT,
                    f"the thread of comment '{comment.id}' runs in a circle "
                    f"(through '{up.id}'): a reply answers an earlier comment",
                    path,
                    "in-reply-to",
                )
                break
            path_ids.append(up.id)
            on_path.add(up.id)
            up = by_id.get(up.in_reply_to)
        ends.update(path_ids)


def responses(ctx: Context) -> None:
    """Each response answers a comment that exists, and does not name its commenter
    without their consent (the name may be in the personal-data file)."""
    cons = ctx.charta.consultation
    if cons is None:
        return
    by_id = comment_index(ctx)
    for n, response in enumerate(cons.responses):
        path = ("consultation", "responses", n)
        answered = by_id.get(response.comment)
        if answered is None:
            ctx.emit(
                rules.UNKNOWN_COMMENT,
                suggesting(
                    f"response '{response.id}' answers comment '{response.comment}', which "
                    "does not exist",
                    response.comment,
                    lambda: list(by_id),
                ),
                path,
                "comment",
            )
            continue
        person = answered.commenter
        known = ctx.people.get(answered.id)
        if known is not None:
            person = attrs.evolve(
                person, name=known.name, consent_to_publish=known.consent_to_publish
            )
        if not person.consent_to_publish and person.name and _mentions(response.text, person.name):
            ctx.emit(
                rules.RESPONSE_NAMES_COMMENTER,
                f"response '{response.id}' names the commenter of '{answered.id}', who did "
                "not consent to publication; leave the name out of the response text",
                path,
                "text",
            )


_KINDS = {
    "email": "an e-mail address",
    "phone": "a phone number",
    "address": "a street address",
    "profile": "a link to a person's profile",
}


def contact_data(ctx: Context) -> None:
    """No comment or response text holds contact data: consent to publish a comment
    is not consent to publish one's phone number (public outputs mask it anyway)."""
    cons = ctx.charta.consultation
    if cons is None:
        return
    records = [("comments", c) for c in cons.comments] + [("responses", r) for r in cons.responses]
    counts = {"comments": 0, "responses": 0}
    for kind, record in records:
        n = counts[kind]
        counts[kind] += 1
        for key, text in (("text", record.text), ("note", record.note)):
            found = contact.find(text)
            if found:
                what = sorted({_KINDS[c.kind] for c in found})
                ctx.emit(
                    rules.CONTACT_DATA_IN_CHARTA,
                    f"the {key} of {kind[:-1]} '{record.id}' holds {' and '.join(what)}: "
                    "take it out of the charta file (charta consult import moves such data "
                    "to the personal-data file and leaves a marker such as "
                    f"'{contact.MARKERS[found[0].kind]}')",
                    ("consultation", kind, n),
                    key,
                )


def decisions(ctx: Context) -> None:
    """An accepted comment led to an amendment; no amendment cites a rejected one.

    A comment's decision is that of its last response.  Causes are looked
    up in one index: linear in comments, responses and revisions.
    """
    cons = ctx.charta.consultation
    if cons is None:
        return
    by_id = comment_index(ctx)
    last: dict[str, tuple[int, Response]] = {}
    for n, r in enumerate(cons.responses):
        last[r.comment] = (n, r)
    comment_of = {r.id: r.comment for r in cons.responses}
    cited: set[str] = set()
    citing: list[tuple[tuple[str, ...], KeyPath]] = []
    for item, path in ctx.items:
        citing += [(rev.caused_by, (*path, "revisions", n)) for n, rev in enumerate(item.revisions)]
    for m, path in ctx.merged_away:
        citing.append((m.caused_by, path))
        citing += [(rev.caused_by, (*path, "revisions", n)) for n, rev in enumerate(m.revisions)]
    for causes, path in citing:
        # A comment and its answer cited together are one cause: said once.
        for comment_id in dict.fromkeys(comment_of.get(c, c) for c in causes):
            cited.add(comment_id)
            found = last.get(comment_id)
            if found is not None and found[1].decision is Decision.REJECTED:
                ctx.emit(
                    rules.AMENDMENT_CITES_REJECTED,
                    f"this amendment cites comment '{comment_id}', but the answer to it "
                    "is 'rejected': change the decision (partly-accepted?) or the cause",
                    path,
                    "caused-by",
                )
    for comment_id, (n, r) in last.items():
        if r.decision is Decision.ACCEPTED and comment_id in by_id and comment_id not in cited:
            ctx.emit(
                rules.ACCEPTED_WITHOUT_AMENDMENT,
                f"comment '{comment_id}' is answered 'accepted', but no amendment cites it: "
                f"record the change (charta consult amend FILE ITEM --because {comment_id}) "
                "or change the decision",
                ("consultation", "responses", n),
                "decision",
            )


def _mentions(text: str, name: str) -> bool:
    # lazy: the name matcher is needed only where a commenter has a name (start-up)
    from charta.privacy import mentions

    return mentions(text, name)


GROUP = (
    Check((rules.CONSULTATION_DATES,), dates),
    Check(
        (
            rules.COMMENT_TARGET,
            rules.UNRESOLVED,
            rules.PERSONAL_DATA_IN_CHARTA,
            rules.MISSING_PSEUDONYM,
        ),
        comments,
    ),
    Check((rules.UNKNOWN_COMMENT,), threads),
    Check((rules.UNKNOWN_COMMENT, rules.RESPONSE_NAMES_COMMENTER), responses),
    Check((rules.CONTACT_DATA_IN_CHARTA,), contact_data),
    Check((rules.AMENDMENT_CITES_REJECTED, rules.ACCEPTED_WITHOUT_AMENDMENT), decisions),
)
"""The checks of this group, in the order they run."""
