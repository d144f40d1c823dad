# Sourced by tools/bench.sh and tools/ab.sh: the partner network the benchmarks route to, and the addresses their
# senders report from.
#   bench_network DIR    writes DIR/partners.yaml and DIR/addresses.txt (run from the repository's root)
# In every kecamatan of Kabupaten Banyumas (33.02) a volunteer for ambulances and a zakat office for food, so each report
# (needs 1,5) is routed to two partners of its kecamatan and notifications spread over 54 contacts; each sender reports
# from the next of its 331 villages, to a service set up for Banyumas as an office there would be
# (Hotline:RegencyCode=33.02: without it, a village whose name is also in another regency is asked about).
# Region codes and names: src/HotlineBot.Core/Indonesia/Regions/data (Kemendagri, ODbL: see LICENSE.md and NOTICE.md there).
bench_network() {
  local regions=src/HotlineBot.Core/Indonesia/Regions/data
  awk -F, -v partners="$1/partners.yaml" -v addresses="$1/addresses.txt" '
    BEGIN { print "partners:" > partners }
    FNR == 1 { next }
    FILENAME ~ /districts/ && $2 == "33.02" {
      district[$1] = $3; n++; id = $1; gsub(/\./, "-", id)
      printf "  - { id: relawan-%s, name: \"Relawan %s\", kind: volunteer, contact: \"+628119%06d\", serves: [ambulance], areas: [\"%s\"] }\n", id, $3, 2 * n, $1 > partners
      printf "  - { id: zakat-%s, name: \"UPZ %s\", kind: zakat, contact: \"+628119%06d\", serves: [food], areas: [\"%s\"] }\n", id, $3, 2 * n + 1, $1 > partners
      next
    }
    FILENAME ~ /villages/ && ($2 in district) { printf "Ds %s RT 2/3 Kec %s\n", $3, district[$2] > addresses }' "$regions/districts.csv" "$regions/villages.csv"
}
