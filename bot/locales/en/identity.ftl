# Identities: personal links opened by a registered person or from another account, and
# Save buttons that belong to another event's draft.
identity-link-confirm = This invitation is for <b>{ $hint }</b>. Is it you?
identity-btn-its-me = ✅ Yes, it is me
identity-btn-not-me = ❌ No
identity-link-not-mine = Nothing was changed. If this link reached you by mistake, you can simply ignore it.
identity-link-confirmed = Thank you. The invitation is now yours.
identity-link-refused-notice = ⚠️ The personal invitation link of <b>{ $name }</b> was opened from a second Telegram account and refused: it stays with the account that opened it first. If this person has changed their account, ask them to contact you.
edit-save-other-event = This Save button belongs to an earlier preview (event #{ $pressed }), but the draft you are editing now is for { $current ->
        [0] a new event
       *[other] event #{ $current }
    }. Nothing was saved. Use the buttons under the latest preview.
