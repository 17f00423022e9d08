# E-mail: the transport (the local SMTP server of the demo); the invitations add theirs below.
email-devserver-written = { $count ->
    [one] { $count } e-mail received by the local SMTP server, written to { $folder }
   *[other] { $count } e-mails received by the local SMTP server, written to { $folder }
}
email-devserver-listening = Local SMTP server on { $host }:{ $port }; e-mails are written to { $folder }
