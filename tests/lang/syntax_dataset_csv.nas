// `dataset` with the csv format (§3.2).
dataset table {
    format  csv
    path    "data/table.csv"
    input   [8]
    classes 3
}
