# Tapatybės: asmeninės nuorodos, atidarytos jau užsiregistravusio žmogaus ar iš kitos
# paskyros, ir mygtukai „Išsaugoti“, priklausantys kito renginio juodraščiui.
identity-link-confirm = Šis kvietimas skirtas asmeniui: <b>{ $hint }</b>. Ar tai Jūs?
identity-btn-its-me = ✅ Taip, tai aš
identity-btn-not-me = ❌ Ne
identity-link-not-mine = Nieko nepakeista. Jei ši nuoroda Jus pasiekė per klaidą, tiesiog nekreipkite į ją dėmesio.
identity-link-confirmed = Ačiū. Kvietimas dabar Jūsų.
identity-link-refused-notice = ⚠️ Asmeninė kvietimo nuoroda (vardas sąraše: <b>{ $name }</b>) buvo atidaryta iš kitos „Telegram“ paskyros ir atmesta: ji lieka paskyrai, kuri ją atidarė pirmoji. Jei šis žmogus pakeitė paskyrą, paprašykite, kad su Jumis susisiektų.
edit-save-other-event = Šis mygtukas „Išsaugoti“ priklauso ankstesnei peržiūrai (renginys #{ $pressed }), o dabar redaguojamas juodraštis skirtas { $current ->
        [0] naujam renginiui
       *[other] renginiui #{ $current }
    }. Nieko neišsaugota. Naudokite mygtukus po naujausia peržiūra.
