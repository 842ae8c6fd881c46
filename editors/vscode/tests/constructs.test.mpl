# SYNTAX TEST "source.mpl" "every construct of docs/language.md"
# a comment runs to end of line
# <----------- comment.line.number-sign.mpl
plan seed=42 format=mp3_48000_192 store c2pa finetune="ft1" finetune_strength=0.8   # options
# <---- keyword.control.mpl
#    ^^^^ keyword.other.mpl
#         ^^ constant.numeric.mpl
#            ^^^^^^ keyword.other.mpl
#                   ^^^^^^^^^^^^^ constant.language.format.mpl
#                                 ^^^^^ keyword.other.mpl
#                                       ^^^^ keyword.other.mpl
#                                            ^^^^^^^^ keyword.other.mpl
#                                                     ^^^^^ string.quoted.double.mpl
#                                                           ^^^^^^^^^^^^^^^^^ keyword.other.mpl
#                                                                             ^^^ constant.numeric.mpl
#                                                                                   ^^^^^^^^^ comment.line.number-sign.mpl
song s = "vVtPM1Sas70E2LIhQFch" {   # the default song
# <---- keyword.control.mpl
#    ^ entity.name.song.mpl
#        ^^^^^^^^^^^^^^^^^^^^^^ string.quoted.double.mpl
#                                   ^^^^^^^^^^^^^ comment.line.number-sign.mpl
  tempo 120 4/4
# ^^^^^ keyword.control.mpl
#       ^^^ constant.numeric.mpl
#           ^^^ constant.numeric.mpl
  intro 0-30s
# ^^^^^ entity.name.section.mpl
#       ^ constant.numeric.mpl
#        ^ keyword.operator.range.mpl
#         ^^^ constant.numeric.mpl
  outro 30s-50s
# ^^^^^ entity.name.section.mpl
#       ^^^ constant.numeric.mpl
#           ^^^ constant.numeric.mpl
}
song club = "Xy12" length=1:30.250 { verse 0:10-0:50 }
#    ^^^^ entity.name.song.mpl
#                  ^^^^^^ keyword.other.mpl
#                         ^^^^^^^^ constant.numeric.mpl
#                                    ^^^^^ entity.name.section.mpl
#                                          ^^^^ constant.numeric.mpl
#                                               ^^^^ constant.numeric.mpl
tempo 92.5 6/8
# <----- keyword.control.mpl
#     ^^^^ constant.numeric.mpl
#          ^^^ constant.numeric.mpl
let epic = ["cinematic", "epic"]
# <--- keyword.control.mpl
#   ^^^^ entity.name.binding.mpl
#           ^^^^^^^^^^^ string.quoted.double.mpl
let hook = 3s-8s
#   ^^^^ entity.name.binding.mpl
#          ^^ constant.numeric.mpl
#             ^^ constant.numeric.mpl
import "std/styles" as st
# <------ keyword.control.mpl
#      ^^^^^^^^^^^^ string.quoted.double.mpl
#                   ^^ keyword.other.mpl
#                      ^^ entity.name.namespace.mpl
keep 0-30s; keep trailer 500ms-1.5s
# <---- keyword.control.mpl
#           ^^^^ keyword.control.mpl
#                        ^^^^^ constant.numeric.mpl
#                              ^^^^ constant.numeric.mpl
keep bar 9-bar 17
#    ^^^^^ constant.numeric.mpl
#          ^^^^^^ constant.numeric.mpl
keep 9.3-17.1
#    ^^^ constant.numeric.mpl
#        ^^^^ constant.numeric.mpl
gen "Intro" 8 bars styles[epic, "D minor"] avoid["vocals"] adherence=low
# <--- keyword.control.mpl
#   ^^^^^^^ string.quoted.double.mpl
#           ^^^^^^ constant.numeric.mpl
#                  ^^^^^^ keyword.other.mpl
#                                          ^^^^^ keyword.other.mpl
#                                                          ^^^^^^^^^ keyword.other.mpl
#                                                                    ^^^ constant.language.mpl
regen "outro" 2 beats like trailer 0-10s strength=xhigh
# <----- keyword.control.mpl
#             ^^^^^^^ constant.numeric.mpl
#                     ^^^^ keyword.other.mpl
#                                        ^^^^^^^^ keyword.other.mpl
#                                                 ^^^^^ constant.language.mpl
  | Salt on my skin # not a comment
# ^ punctuation.definition.lyric.mpl
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ string.unquoted.lyric.mpl
  | {instrumental break} (ooh)
#   ^^^^^^^^^^^^^^^^^^^^ variable.other.direction.lyric.mpl
#                        ^^^^^ constant.other.sound.lyric.mpl
gen "Bridge" 15s styles["choir"] text "[Bridge]\n(ah # ah)\u00e9"
#                                ^^^^ keyword.other.mpl
#                                              ^^ constant.character.escape.mpl
#                                                         ^^^^^^ constant.character.escape.mpl
#                                                    ^^^^ string.quoted.double.mpl
template loop(src, slice, glue=3s, feel=["smooth"]) {
# <-------- keyword.control.mpl
#        ^^^^ entity.name.function.template.mpl
#             ^^^ variable.parameter.mpl
#                              ^^ constant.numeric.mpl
  keep src slice
# ^^^^ keyword.control.mpl
}
loop(phrase, 3s-8s)
# <---- variable.function.template.mpl
#            ^^ constant.numeric.mpl
replace trailer 45s-60s stretch { gen "Outro" 20s styles["epic"] }
# <------- keyword.control.mpl
#               ^^^ constant.numeric.mpl
#                       ^^^^^^^ keyword.other.mpl
#                                 ^^^ keyword.control.mpl
