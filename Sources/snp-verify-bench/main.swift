// Placeholder until SNPABI.AttestationReport lands; see bench/verify.sh.
print("snp-verify-bench: not implemented yet")
