}}}} ;;; let model = 3 let let = ) } {
trainer
