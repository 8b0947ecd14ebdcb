// `trainer exec` (§3.12): the one-line form.
trainer exec "python3 train.py --arch $NAS_ARCH_FILE"
