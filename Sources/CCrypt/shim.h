#ifndef WEATHER_CCRYPT_SHIM_H
#define WEATHER_CCRYPT_SHIM_H
// libxcrypt: crypt_gensalt_rn and crypt_rn (yescrypt, "$y$"). Imported by the Access module only.
#include <crypt.h>
#endif
