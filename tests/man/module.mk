# tests/man: the man pages of the three programs render with `man -l`
# (no groff warnings) and `make install` installs each beside its program.

.PHONY: check-man
check-man: $(INSTALL_BIN)
	@bash tests/man/check-man.sh $(BUILD) "$(INSTALL_MAN)"

CHECK_TARGETS += check-man
