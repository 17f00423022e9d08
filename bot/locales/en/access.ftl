# Access rules (bot/access.py, docs/privacy.md): private chats for organiser screens, the
# online meeting link only for those who said yes.
access-private-chat-only = Please use our private chat for this: organiser screens show people's data, so I do not show them in groups.
access-card-online = 💻 Online (after you answer “Yes”, the “Join the meeting” button gives you the link shortly before the start)
access-join-not-yes = The meeting link is for those who answered “Yes”. Please answer on the event card first.
access-join-early = The meeting of <b>{ $title }</b> opens at { $opens }. Press “Join the meeting” on the event card from then on: the link is given at that time.
