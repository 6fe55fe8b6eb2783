// placeholder until SNPPolicy tests land
