# Civic Kiosk: geiriau'r ciosg ei hun yn Gymraeg.
# Mae testunau'r pecyn cynnwys (gwasanaethau, teithiau) yn y pecyn, nid yma.

language-name = Cymraeg
language-switch = Dangos y ciosg yn Gymraeg
demo-tag = DEMO: cyngor dychmygol

## Sgrin groeso
attract-subtitle = Dysgwch beth i'w wneud am wasanaethau'r cyngor, un cwestiwn ar y tro. Nid ydym yn cadw dim rydych chi'n ei ddweud wrthym.
attract-touch = Cyffyrddwch i ddechrau
attract-choose-language = Neu dewiswch eich iaith
attract-farewell = Diolch. Mae popeth a ddywedoch wrth y ciosg wedi cael ei ddileu.

## Hafan a chategorïau
home-title = Gyda beth mae angen help arnoch chi?
home-hint = Tapiwch bwnc. Gallwch fynd yn ôl neu ddechrau eto unrhyw bryd.
home-how-to-use = Sut i ddefnyddio'r ciosg hwn
home-hint-or-tap = Neu tapiwch bwnc. Gallwch fynd yn ôl neu ddechrau eto unrhyw bryd.
category-hint = { $count ->
    [zero] Does dim gwasanaethau yma.
    [one] Mae { $count } gwasanaeth yma. Tapiwch ef i ddechrau.
    [two] Mae { $count } wasanaeth yma. Tapiwch yr un sydd ei angen arnoch.
    [few] Mae { $count } gwasanaeth yma. Tapiwch yr un sydd ei angen arnoch.
    [many] Mae { $count } gwasanaeth yma. Tapiwch yr un sydd ei angen arnoch.
   *[other] Mae { $count } gwasanaeth yma. Tapiwch yr un sydd ei angen arnoch.
}

## Blwch Gofyn: mae'r ymwelydd yn teipio beth sydd ei angen
ask-box = Teipiwch yma, er enghraifft: chafodd fy min ddim ei gasglu
ask-box-name = Gyda beth mae angen help arnoch chi? Teipiwch yma
ask-box-button = Gofyn
ask-unavailable = Does dim modd teipio cwestiwn ar y ciosg hwn ar hyn o bryd. Tapiwch bwnc yn lle hynny.
ask-hint = Teipiwch ychydig eiriau gyda'r bysellau isod, yna tapiwch Gofyn.
ask-privacy = Dydyn ni ddim yn cadw'r hyn rydych chi'n ei deipio.
ask-entry-name = Yr hyn rydych chi wedi'i deipio
ask-submit = Gofyn
ask-thinking = Wrthi'n meddwl…
ask-error-empty = Teipiwch gyda beth mae angen help arnoch chi yn gyntaf, gyda'r bysellau isod.
keyboard-clear = Clirio
keyboard-apostrophe = Collnod
keyboard-hyphen = Cysylltnod
clarify-title = Oeddech chi'n golygu…?
clarify-hint = Tapiwch yr un sydd ei angen arnoch chi.
clarify-other = Rhywbeth arall
no-match-title = Mae'n ddrwg gen i, alla i ddim helpu gyda hynny yma
no-match-body = Mae'r ciosg hwn yn helpu gyda gwasanaethau'r cyngor, fel biniau, y Dreth Gyngor, tai a pharcio. Gallwch edrych drwy'r holl wasanaethau, gofyn mewn geiriau gwahanol, neu siarad ag aelod o staff.
no-match-browse = Pori drwy'r holl wasanaethau
no-match-staff = Siarad ag aelod o staff
no-match-retry = Gofyn eto

## Lleferydd: y meicroffon a darllen yn uchel
speech-speak = Siarad
speech-speak-name = Siarad yn lle tapio neu deipio
speech-listening = Wrthi'n gwrando… tapiwch i stopio
speech-level-name = Pa mor uchel mae'r meicroffon yn eich clywed
speech-ask-hint = Neu tapiwch Siarad a dywedwch beth sydd ei angen arnoch chi. Dydyn ni ddim yn cadw'r hyn rydych chi'n ei ddweud.
speech-unavailable-language = Does dim modd gofyn drwy siarad yn Gymraeg eto. Teipiwch eich cwestiwn yn lle hynny.
speech-did-you-say = Ddywedoch chi: “{ $words }”?
speech-did-you-say-yes = Do
speech-did-you-say-no = Naddo, rhoi cynnig arall arni
speech-not-caught-ask = Mae'n ddrwg gen i, chlywais i mo hynny. Tapiwch Siarad i roi cynnig arall arni, neu teipiwch eich cwestiwn.
speech-not-caught-choice = Mae'n ddrwg gen i, chlywais i mo hynny. Tapiwch eich ateb neu rhowch gynnig arall arni.
speech-failed = Dydy siarad ddim yn gweithio ar y ciosg hwn ar hyn o bryd. Tapiwch neu teipiwch yn lle hynny.
speech-read-aloud = Darllen yn uchel
speech-read-aloud-name = Darllen y dudalen hon yn uchel
# Heb eu dangos: geiriau sydd hefyd yn ateb opsiwn Ie neu Na o'u dweud, wedi'u gwahanu gan atalnodau
# (mae label yr opsiwn ei hun bob amser yn cyfrif: Oes/Nac oes, Ydw/Nac ydw, Do/Naddo...).
speech-yes-words = ie
speech-no-words = na

## Llywio, ar bob tudalen
nav-back = Yn ôl
nav-start-again = Dechrau eto
nav-staff = Cael help gan aelod o staff
page-continue = Parhau

## Rhoi cod post
keyboard-space = Bwlch
keyboard-delete = Dileu
postcode-error-empty = Rhowch eich cod post
postcode-error-format = Rhowch god post llawn yn y DU, fel AN1 2TW

## Gwirio eich atebion
check-title = Gwirio eich atebion
check-change = Newid
check-change-named = Newid eich ateb i: { $question }
check-confirm = Parhau

## Canlyniad
outcome-urgent = Gweithredwch nawr
outcome-staff-coming = Rydym wedi gofyn i aelod o staff ddod i'ch helpu chi nawr.
outcome-steps = Beth i'w wneud nesaf
outcome-bring = Beth i ddod gyda chi
outcome-where = Ble i fynd
outcome-when = Pryd
outcome-qr = Parhau ar eich ffôn
outcome-print = Argraffu hwn
outcome-finished = Wedi gorffen
outcome-printed = Yn argraffu nawr. Casglwch eich copi o'r argraffydd.
outcome-saved-pdf = Does dim argraffydd ar y ciosg hwn. Mae copi wedi'i gadw i'r staff: gofynnwch wrth y ddesg gymorth.
outcome-print-failed = Methodd yr argraffu. Gofynnwch i aelod o staff.
bins-title = Eich casgliadau nesaf
bins-for-postcode = Ar gyfer { $postcode }
bins-moved = (wedi symud o { $date }: { $reason })

## Help gan staff
staff-title = Mae help ar ei ffordd
staff-body = Rydym wedi dweud wrth aelod o staff fod angen help arnoch chi. Bydd yn dod i'r ciosg hwn.
staff-carry-on = Gallwch barhau i ddefnyddio'r ciosg wrth aros.
staff-phone = Gallwch hefyd ffonio'r cyngor ar { $number }.
staff-out-of-hours = Os yw'r swyddfa ar gau a'i bod yn argyfwng, ffoniwch { $number }.
staff-carry-on-button = Parhau
alert-text = STAFF: mae ymwelydd wrth y ciosg hwn wedi gofyn am help.
alert-dismiss = Staff: cau'r rhybudd
alert-ask-unavailable = STAFF: mae'r blwch Gofyn wedi'i ddiffodd am fod y model bwriadau ar goll neu wedi'i ddifrodi. Gweler log y ciosg.
alert-storage-unavailable = STAFF: ni all y ciosg gadw i'w ddisg; mae ymweliadau'n parhau heb gadw. Gweler log y ciosg.
alert-storage-replaced = STAFF: roedd allwedd storio neu gronfa ddata'r ciosg wedi'i difrodi ac wedi'i disodli; ni ellir darllen ymweliadau a gadwyd yn gynharach. Gweler log y ciosg.

## Rhybudd segur
idle-title = Oes angen mwy o amser arnoch chi?
idle-countdown = { $seconds ->
    [zero] Er mwyn eich preifatrwydd, bydd yr ymweliad hwn yn dod i ben nawr.
    [one] Er mwyn eich preifatrwydd, bydd yr ymweliad hwn yn dod i ben mewn { $seconds } eiliad.
    [two] Er mwyn eich preifatrwydd, bydd yr ymweliad hwn yn dod i ben mewn { $seconds } eiliad.
    [few] Er mwyn eich preifatrwydd, bydd yr ymweliad hwn yn dod i ben mewn { $seconds } eiliad.
    [many] Er mwyn eich preifatrwydd, bydd yr ymweliad hwn yn dod i ben mewn { $seconds } eiliad.
   *[other] Er mwyn eich preifatrwydd, bydd yr ymweliad hwn yn dod i ben mewn { $seconds } eiliad.
}
idle-yes = Oes, mae angen mwy o amser arnaf
idle-end = Nac oes, gorffen nawr

## Bodlonrwydd
satisfaction-title = Sut oedd eich ymweliad heddiw?
satisfaction-hint = Tapiwch wyneb. Mae eich ateb yn ddienw.
satisfaction-good = Da
satisfaction-ok = Iawn
satisfaction-poor = Gwael
satisfaction-skip = Hepgor y cwestiwn hwn
