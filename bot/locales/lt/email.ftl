# El. paštas: siuntimas (demonstracijos vietinis SMTP serveris); kvietimai prideda savo tekstus žemiau.
email-devserver-written = { $count ->
    [one] Vietinis SMTP serveris gavo { $count } el. laišką, jis įrašytas į { $folder }
    [few] Vietinis SMTP serveris gavo { $count } el. laiškus, jie įrašyti į { $folder }
   *[other] Vietinis SMTP serveris gavo { $count } el. laiškų, jie įrašyti į { $folder }
}
email-devserver-listening = Vietinis SMTP serveris veikia adresu { $host }:{ $port }; el. laiškai įrašomi į { $folder }
